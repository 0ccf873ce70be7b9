import { Box, Link, List, ListItem, ListItemButton, Stack, TextField, Typography } from "@mui/material";
import { useQuery } from "@tanstack/react-query";
import { Fragment, useEffect, useMemo, useRef, useState } from "react";
import { formErrors } from "../../../api/errors";
import { FormAlert } from "../../../components/form";
import { Loading } from "../../../components/states";
import { activeSegmentIndex, formatTimestamp, getTranscript, transcriptFileUrl, transcriptKey } from "../transcriptsApi";

/** The video's position in ms, following it as it plays and when it is moved. */
function useVideoTimeMs(video: HTMLVideoElement | null): number {
  const [ms, setMs] = useState(0);
  useEffect(() => {
    if (!video) return;
    const update = () => setMs(Math.round(video.currentTime * 1000));
    update();
    const events = ["timeupdate", "seeked", "loadedmetadata"] as const;
    events.forEach((name) => video.addEventListener(name, update));
    return () => events.forEach((name) => video.removeEventListener(name, update));
  }, [video]);
  return ms;
}

/** Moves the player (an element the viewer drives, not React state) to `ms`. */
function seek(video: HTMLVideoElement, ms: number) {
  video.currentTime = ms / 1000;
}

/** `text` with every case-insensitive occurrence of `query` marked. */
function Highlighted({ text, query }: { text: string; query: string }) {
  if (!query) return <>{text}</>;
  const parts = text.split(new RegExp(`(${query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi"));
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}

interface Props {
  recordingId: string;
  /** The player: the line being spoken follows it, and a line's button moves it there. */
  video: HTMLVideoElement | null;
}

/** A recording's transcript beside its player: lines with time and speaker, searchable, downloadable. */
export function TranscriptViewer({ recordingId, video }: Props) {
  const transcript = useQuery({ queryKey: transcriptKey(recordingId), queryFn: () => getTranscript(recordingId) });
  const [search, setSearch] = useState("");
  const now = useVideoTimeMs(video);
  const segments = useMemo(() => transcript.data?.segments ?? [], [transcript.data]);
  const active = activeSegmentIndex(segments, now);
  const query = search.trim();
  const shown = useMemo(() => {
    const needle = query.toLowerCase();
    return segments.map((segment, index) => ({ segment, index })).filter(({ segment }) => segment.text.toLowerCase().includes(needle));
  }, [segments, query]);

  // Keep the line being spoken in sight, scrolling the list only (never the page).
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const list = listRef.current;
    const line = list?.querySelector<HTMLElement>("[aria-current='true']");
    if (!list || !line) return;
    const top = line.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + line.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top;
  }, [active]);

  return (
    <Box component="section" aria-label="Transcript" sx={{ display: "flex", flexDirection: "column", minHeight: 0, gap: 1 }}>
      <Typography variant="subtitle2" component="h4">Transcript</Typography>
      <TextField label="Search transcript" type="search" size="small" value={search} onChange={(event) => setSearch(event.target.value)} />
      <Stack direction="row" spacing={2}>
        <Link href={transcriptFileUrl(recordingId, "vtt")} download>Download WebVTT</Link>
        <Link href={transcriptFileUrl(recordingId, "txt")} download>Download text</Link>
      </Stack>
      {transcript.isPending && <Loading label="Loading transcript" />}
      {transcript.isError && <FormAlert errors={formErrors(transcript.error)} />}
      {transcript.isSuccess && segments.length === 0 && <Typography variant="body2" color="text.secondary">Nothing was said.</Typography>}
      {transcript.isSuccess && segments.length > 0 && shown.length === 0 && (
        <Typography variant="body2" color="text.secondary">No lines match “{query}”.</Typography>
      )}
      {shown.length > 0 && (
        <List ref={listRef} dense disablePadding aria-label="Transcript lines" sx={{ overflowY: "auto", maxHeight: 420, position: "relative" }}>
          {shown.map(({ segment, index }) => (
            <ListItem key={index} disablePadding>
              <ListItemButton aria-current={index === active ? "true" : undefined} selected={index === active} onClick={() => video && seek(video, segment.start_ms)}
                sx={{ display: "block", py: 0.5 }}>
                <Typography variant="caption" component="time" color="text.secondary" sx={{ fontVariantNumeric: "tabular-nums" }}>
                  {formatTimestamp(segment.start_ms)}
                </Typography>{" "}
                <Typography variant="body2" component="span" sx={{ fontWeight: 600 }}>{segment.speaker}:</Typography>{" "}
                <Typography variant="body2" component="span"><Highlighted text={segment.text} query={query} /></Typography>
              </ListItemButton>
            </ListItem>
          ))}
        </List>
      )}
    </Box>
  );
}
