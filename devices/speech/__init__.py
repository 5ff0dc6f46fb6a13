"""Speech out: Open JTalk (pyopenjtalk-plus) for Japanese, pyttsx3 for the other languages."""
