// The VS Code client of the circuit language server: starts `circuit lsp` for .circuit files
// and adds the command "Circuit: Show Diagram" (the server's `circuit/diagram` request).
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The client for the configured executable. */
function makeClient() {
  const config = vscode.workspace.getConfiguration('circuit');
  const args = ['lsp'];
  const stdlib = config.get('stdlib');
  if (stdlib) args.push('--stdlib', stdlib);
  const server = { command: config.get('path') || 'circuit', args };
  return new LanguageClient(
    'circuit', 'Circuit Language Server', server,
    { documentSelector: [{ scheme: 'file', language: 'circuit' }] });
}

/** Shows the SVG of the circuit at the cursor beside the editor. */
async function showDiagram() {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'circuit') return;
  try {
    const result = await client.sendRequest('circuit/diagram', {
      textDocument: { uri: editor.document.uri.toString() },
      position: editor.selection.active,
    });
    const panel = vscode.window.createWebviewPanel(
      'circuitDiagram', `Diagram: ${result.circuit}`, vscode.ViewColumn.Beside, {});
    panel.webview.html =
      `<!DOCTYPE html><html><body style="background: white; margin: 0">${result.svg}</body></html>`;
  } catch (error) {
    vscode.window.showErrorMessage(`Circuit: ${error.message || error}`);
  }
}

/** Starts the client and registers the commands. */
async function activate(context) {
  client = makeClient();
  context.subscriptions.push(
    vscode.commands.registerCommand('circuit.showDiagram', showDiagram),
    vscode.commands.registerCommand('circuit.restartServer', async () => {
      if (client) await client.stop();
      client = makeClient();
      await client.start();
    }));
  await client.start();
}

/** Stops the server. */
function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
