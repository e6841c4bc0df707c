/**
 * Operator command (`npm run brand-token -- <brand-id> [label]`): makes a brand API token and prints it once
 * on stdout (the server keeps only its hash); `npm run brand-token -- --revoke <token>` revokes one. Opens
 * the same database as the server: VITRINE_DATA (data folder, default ./data) or DATABASE_URL (PostgreSQL).
 */
import { createBrandToken, revokeBrandToken } from './publishing/brand-tokens';
import { openDatabase } from './storage/connection';

const USAGE =
  'usage: npm run brand-token -- <brand-id> [label]\n       npm run brand-token -- --revoke <token>';

const [first, second] = process.argv.slice(2);
if (first === undefined || first === '--help' || first === '-h') {
  console.error(USAGE);
  process.exit(first === undefined ? 2 : 0);
}

const db = await openDatabase(process.env.VITRINE_DATA ?? './data', {
  databaseUrl: process.env.DATABASE_URL,
});
try {
  if (first === '--revoke') {
    if (second === undefined) {
      console.error(USAGE);
      process.exitCode = 2;
    } else if (await revokeBrandToken(db, second)) {
      console.error('Revoked: the token no longer works.');
    } else {
      console.error('No working token matched.');
      process.exitCode = 1;
    }
  } else {
    const made = await createBrandToken(db, first, second ?? 'cli');
    console.error(`Brand token for "${made.brandId}" (${made.label}); shown only now, keep it secret:`);
    console.log(made.token);
  }
} catch (error) {
  console.error(`brand-token: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
