// Preloaded into servers started by test/support/server.ts: when the test runner that started this
// process disappears (even by SIGKILL), the process is re-parented; stop then instead of lingering.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
