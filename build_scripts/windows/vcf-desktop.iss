; Inno Setup 6 script: installer for the onedir bundle dist\vcf-desktop (built on Windows with
;   pyinstaller --noconfirm --clean build_scripts\vcf-desktop.spec).
; Build:  iscc /DAppVersion=0.1.0 build_scripts\windows\vcf-desktop.iss
;   -> dist\vcf-desktop-0.1.0-setup.exe
; Installs per machine into Program Files (or per user when the user picks that and has no admin
; rights), adds a Start-menu shortcut (optional desktop shortcut) and an uninstaller (Apps & features).
; Paths are relative to this script's folder.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z vcf-desktop.iss
#endif
#define AppName "VCF Desktop"
#define AppExe "vcf-desktop.exe"
#define Bundle "..\..\dist\vcf-desktop"

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{6C0B7F4E-2D8A-4C55-9E4B-8F1A3B5D7C21}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=VCF Desktop
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=vcf-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
; Code signing (see build_scripts/README.md): configure a sign tool named "signtool" in the IDE or
; pass  /Ssigntool="signtool sign /fd sha256 /tr http://timestamp.example /td sha256 /a $f"
; to iscc, then uncomment:
; SignTool=signtool

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole bundle: vcf-desktop.exe (windowed), vcf-desktop-cli.exe (console) and _internal\.
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python may write __pycache__ folders next to the bundle; remove the whole install folder.
Type: filesandordirs; Name: "{app}"
