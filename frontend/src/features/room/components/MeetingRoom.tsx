import { Box } from "@mui/material";
import { useCallback, useEffect, useRef, useState } from "react";
import { formErrors } from "../../../api/errors";
import type { MediaState } from "../roomSession";
import type { ExitReason, RoomJoin } from "../types";
import { ExitScreen } from "./ExitScreen";
import { LiveRoom } from "./LiveRoom";

export interface MeetingRoomProps {
  code: string;
  /** The REST join result the pre-join screen got. */
  join: RoomJoin;
  /** Camera and microphone chosen before joining (either may be missing). */
  localStream: MediaStream;
  /** Defaults to whether `localStream` has an enabled track of that kind. */
  initialAudioOn?: boolean;
  initialVideoOn?: boolean;
  /** Joins again through REST: for an expired reconnect ticket and the "Rejoin" button. */
  rejoin: () => Promise<RoomJoin>;
  /** The room is over for us (the room shows why); the parent may stop `localStream` now (a
   * stream the room opened itself for a rejoin, the room stops). */
  onExit: (reason: "left" | "removed" | "ended" | "denied") => void;
}

interface Stay {
  id: number;
  join: RoomJoin;
  stream: MediaStream;
  audioOn: boolean;
  videoOn: boolean;
}

function hasEnabledTrack(tracks: MediaStreamTrack[]): boolean {
  return tracks.some((track) => track.enabled && track.readyState === "live");
}

function stopTracks(stream: MediaStream): void {
  stream.getTracks().forEach((track) => track.stop());
}

/** The same devices again if the parent stopped them when we left. */
async function liveStream(stream: MediaStream): Promise<MediaStream> {
  const tracks = stream.getTracks();
  if (tracks.every((track) => track.readyState === "live")) return stream;
  const device = (track: MediaStreamTrack | undefined) => (track ? { deviceId: track.getSettings().deviceId } : false);
  const audio = device(stream.getAudioTracks()[0]);
  const video = device(stream.getVideoTracks()[0]);
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch {
    return new MediaStream();
  }
}

/** The live meeting, and the screen shown once we are out of it. */
export function MeetingRoom({ code, join, localStream, initialAudioOn, initialVideoOn, rejoin, onExit }: MeetingRoomProps) {
  const [stay, setStay] = useState<Stay>(() => ({
    id: 0,
    join,
    stream: localStream,
    audioOn: initialAudioOn ?? hasEnabledTrack(localStream.getAudioTracks()),
    videoOn: initialVideoOn ?? hasEnabledTrack(localStream.getVideoTracks()),
  }));
  const [exit, setExit] = useState<ExitReason | null>(null);
  const [rejoining, setRejoining] = useState(false);
  const [rejoinError, setRejoinError] = useState<string | null>(null);
  /** How the microphone and camera were when we left: a rejoin starts the same way. */
  const [lastMedia, setLastMedia] = useState<MediaState | null>(null);
  /** A stream this component opened for a rejoin (the parent's `localStream` is the parent's to stop). */
  const owned = useRef<MediaStream | null>(null);
  const mounted = useRef(false);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (owned.current) stopTracks(owned.current);
      owned.current = null;
    };
  }, []);

  const handleExit = useCallback(
    (reason: ExitReason, media: MediaState) => {
      setExit(reason);
      setLastMedia(media);
      if (owned.current) stopTracks(owned.current);
      owned.current = null;
      onExit(reason === "disconnected" ? "left" : reason);
    },
    [onExit],
  );

  const enterAgain = async () => {
    setRejoining(true);
    setRejoinError(null);
    const opening = liveStream(stay.stream);
    // Ours to stop: a stream opened here, not the one we were given.
    const release = (stream: MediaStream) => {
      if (stream !== stay.stream && stream !== localStream) stopTracks(stream);
    };
    try {
      const [next, stream] = await Promise.all([rejoin(), opening]);
      if (!mounted.current) return release(stream);
      if (stream !== localStream) owned.current = stream;
      setStay({
        id: stay.id + 1,
        join: next,
        stream,
        audioOn: lastMedia?.audioOn ?? stay.audioOn,
        videoOn: lastMedia?.videoOn ?? stay.videoOn,
      });
      setExit(null);
    } catch (error) {
      release(await opening);
      if (mounted.current) setRejoinError(formErrors(error).message);
    } finally {
      if (mounted.current) setRejoining(false);
    }
  };

  return (
    <Box component="main" aria-label="Meeting room">
      {exit ? (
        <ExitScreen reason={exit} onRejoin={() => void enterAgain()} rejoining={rejoining} error={rejoinError} />
      ) : (
        <LiveRoom
          key={stay.id}
          code={code}
          join={stay.join}
          localStream={stay.stream}
          initialAudioOn={stay.audioOn}
          initialVideoOn={stay.videoOn}
          rejoin={rejoin}
          onExit={handleExit}
        />
      )}
    </Box>
  );
}
