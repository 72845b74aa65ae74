// The CDKTF app: `cdktf synth` (npm run synth) runs it, as cdktf.json says. It reads
// ./edgelock.config.ts and the build in ./dist (`npm run build` writes it).
const { App } = require('cdktf');
const { loadConfig } = require('edgelock');
const { createStacks } = require('edgelock/cdktf');

const app = new App();
createStacks(app, loadConfig(), { dist: 'dist' });
app.synth();
