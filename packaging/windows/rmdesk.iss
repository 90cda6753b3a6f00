; Inno Setup script for rmdesk on Windows: built by .github/workflows/build.yml (job windows),
; not on the Linux CI machine.
; Build the one-folder bundle first on Windows:  python packaging\build.py --bundle-only
; (PyInstaller then writes dist\rmdesk\), and the icon build\icons\rmdesk.ico.
; Then:  iscc /DAppVersion=0.1.0 packaging\windows\rmdesk.iss

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1D2F0A-3B7E-4C55-9E0B-2A5D1B8C7E41}
AppName=rmdesk
AppVersion={#AppVersion}
AppPublisher=rmdesk contributors
; The MIT licence on the installer's licence page; the third-party notices are installed
; with the program (_internal\rmdesk\THIRD-PARTY-NOTICES.txt, Help > About > Licences).
LicenseFile=..\..\LICENSE
DefaultDirName={autopf}\rmdesk
DefaultGroupName=rmdesk
OutputDir=..\..\dist
OutputBaseFilename=rmdesk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\build\icons\rmdesk.ico
UninstallDisplayIcon={app}\rmdesk.exe
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Classroom laptops often lack admin rights: allow a per-user install.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "pt_BR"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Files]
Source: "..\..\dist\rmdesk\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\rmdesk"; Filename: "{app}\rmdesk.exe"
Name: "{autodesktop}\rmdesk"; Filename: "{app}\rmdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\rmdesk.exe"; Description: "{cm:LaunchProgram,rmdesk}"; Flags: nowait postinstall skipifsilent

; File types (group work, workshop kit) will be registered here once those formats exist.
