// Entry point of the standalone emulator; the emulator issue fills it in.
return 2;