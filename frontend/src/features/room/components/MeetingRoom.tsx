import { Box } from "@mui/material";
import { useCallback, useState } from "react";
import { formErrors } from "../../../api/errors";
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
  /** The room is over for us (the room shows why); the parent may stop the camera now. */
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

  const handleExit = useCallback(
    (reason: ExitReason) => {
      setExit(reason);
      onExit(reason === "disconnected" ? "left" : reason);
    },
    [onExit],
  );

  const enterAgain = async () => {
    setRejoining(true);
    setRejoinError(null);
    try {
      const [next, stream] = await Promise.all([rejoin(), liveStream(stay.stream)]);
      setStay({ ...stay, id: stay.id + 1, join: next, stream });
      setExit(null);
    } catch (error) {
      setRejoinError(formErrors(error).message);
    } finally {
      setRejoining(false);
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
