"""Live captions at the clerk's desk: microphone PCM -> voice chunks -> faster-whisper text."""
