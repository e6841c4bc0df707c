/**
 * `vitrine rollback --brand <id>` (the release before the live one becomes live again, as a new release) and
 * `vitrine releases --brand <id>` (the brand's releases, newest first), both with `--server` and `--token`.
 */
import { formatRelease, reportFailure, table, type ServerOptions } from './publish-command';
import { createPublishClient } from './publish-client';

/** Where these commands write. */
export interface ReleaseIO {
  out(text: string): void;
  color: boolean;
}

/** Rolls brand `brandId` back; answers the exit code (0 rolled back, 1 refused or unreachable). */
export async function rollbackCommand(
  brandId: string,
  options: ServerOptions,
  io: ReleaseIO,
): Promise<number> {
  try {
    // The answer says which release it restored: nothing more to ask (a second request could fail after the
    // rollback succeeded, and report a failure for it).
    const response = await createPublishClient(options).rollback(brandId);
    const restored = response.restoredFrom;
    io.out(
      [
        `Rolled back ${brandId}: release ${response.release}${restored === undefined ? '' : ` restores release ${restored}`}, catalog version ${response.version}`,
        ...formatRelease(response),
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

/** Lists brand `brandId`'s releases; answers the exit code. */
export async function releasesCommand(
  brandId: string,
  options: ServerOptions,
  json: boolean,
  io: ReleaseIO,
): Promise<number> {
  try {
    const list = await createPublishClient(options).releases(brandId);
    if (json) {
      io.out(JSON.stringify(list, null, 2));
      return 0;
    }
    const rows = [['release', 'version', 'reason', 'created', 'products', 'showrooms', '']];
    for (const r of list.releases) {
      rows.push([
        String(r.id),
        String(r.version),
        r.restoredFrom === undefined ? r.reason : `${r.reason} of ${r.restoredFrom}`,
        r.createdAt,
        String(r.products),
        String(r.showrooms),
        r.current ? 'live' : '',
      ]);
    }
    io.out([`Releases of ${list.brandId}, newest first:`, ...table(rows)].join('\n'));
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}
