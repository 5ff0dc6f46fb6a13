@echo off
rem Starts the current kiosk version under its watchdog (run by the scheduled task at logon).
rem current.txt names the active folder under versions\ ; `kiosk switch` and `kiosk rollback` change it.
setlocal
set ROOT=%PROGRAMDATA%\kakanai-kiosk
set /p VERSION=<"%ROOT%\current.txt"
set KIOSK=%ROOT%\versions\%VERSION%\kiosk.exe
"%KIOSK%" watchdog --hang-after 60 -- "%KIOSK%" start
