"""Speech to text for meeting transcripts: an engine turns a 16 kHz mono WAV into timed segments.

Free of Django: the engines run in a child process (`python -m aapoon.media.speech`, see
process.py), since a decoder holds the GIL for seconds at a time and a crash in native code
must not take the server with it.
"""
