"""A transcript as a file: WebVTT (captions, with the speaker as a voice tag) and plain text."""

from collections.abc import Iterable
from pathlib import Path

from aapoon.media.models import Transcript, TranscriptSegment


def timestamp(ms: int) -> str:
    """HH:MM:SS.mmm, as WebVTT wants it (hours always two digits or more)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    # In a cue, "&", "<" and ">" start markup (and "-->" ends the timing line).
    flat = " ".join(text.split())
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(segments: Iterable[TranscriptSegment]) -> str:
    cues = [
        f"{n}\n{timestamp(s.start_ms)} --> {timestamp(max(s.end_ms, s.start_ms + 1))}\n"
        f"<v {_vtt_escape(s.speaker_name)}>{_vtt_escape(s.text)}\n"
        for n, s in enumerate(segments, start=1)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def plain_text(segments: Iterable[TranscriptSegment]) -> str:
    """One line per segment: "[00:01:02] Name: text"."""
    return "".join(
        f"[{timestamp(s.start_ms)[:8]}] {' '.join(s.speaker_name.split())}: {' '.join(s.text.split())}\n"
        for s in segments
    )


def download_name(transcript: Transcript, extension: str) -> str:
    """The recording's file name ("Weekly sync 2026-01-05 10.00.mp4") with `extension`."""
    video = transcript.recording.file
    stem = Path(video.original_name).stem if video is not None and video.original_name else "transcript"
    return f"{stem}{extension}"
