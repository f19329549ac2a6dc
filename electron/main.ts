// The Electron entry: one hardened window on app://crossdock/, the shared host bound to IPC.
// Thin on purpose: behaviour lives in electron/host and electron/transports, tested without
// Electron; this file only wires them to Electron's objects.
import { app, BrowserWindow, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { createAppHost } from './host/app-host';
import { APP_HOST, APP_SCHEME, APP_URL, createAppProtocolHandler } from './transports/app-protocol';
import { bindIpc } from './transports/ipc';
import { isExternalWebUrl, mayNavigate } from './transports/navigation-policy';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));

// Must happen before `ready`: a standard, secure scheme gets a real origin, fetch and storage.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// One instance per user: a second `crossdock start` focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  void app.whenReady().then(start);
}

/** Every webContents, the window's and any a bug might create, gets the same guards. */
app.on('web-contents-created', (_event, contents) => harden(contents));

function harden(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (!mayNavigate(contents.getURL(), event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!mayNavigate(contents.getURL(), event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function start(): void {
  const host = createAppHost();
  session.defaultSession.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, host.download));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const binding = bindIpc({
    ipcMain,
    router: host.router,
    streamHandlers: host.streamHandlers,
    appUrl: APP_URL,
    log: host.log,
  });

  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Crossdock',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);

  app.on('window-all-closed', () => app.quit());
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    // Give the engines' watchers a moment to stop, then quit for real.
    event.preventDefault();
    disposed = true;
    binding.dispose();
    void host
      .dispose()
      .catch((error: unknown) => host.log(`shutting down: ${String(error)}`))
      .finally(() => app.quit());
  });
}
