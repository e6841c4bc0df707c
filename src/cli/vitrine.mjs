#!/usr/bin/env node
// Launcher of the `vitrine` command (package.json "bin"): registers tsx so Node runs the TypeScript sources
// as they are, then runs src/cli/main.ts, which reads process.argv and sets the exit code.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
