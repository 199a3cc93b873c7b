// Entry point for running the CLI from source in a child process (see cli.ts).
import { main } from '../../lib/cli/main.js';

await main(['node', 'thp-autotune', ...process.argv.slice(2)]);
