// A CDKTF app in a project that uses edgelock: `cdktf.json` runs it with `node main.js`.
// It reads ./edgelock.config.ts and the build in ./dist (`npx edgelock build` writes it).
const { App } = require('cdktf');
const { loadConfig } = require('edgelock');
const { createStacks } = require('edgelock/cdktf');

const app = new App();
createStacks(app, loadConfig(), { dist: 'dist' });
app.synth();
