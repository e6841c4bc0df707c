import { useLiveQuery } from 'dexie-react-hooks';
import { formatBytes } from '../core/bytes';
import { dismissStorageNotice, readStorageNotice, type StorageNotice as Notice } from '../db/storage-notice';

/** The sentence a full-disk notice says. */
export function storageNoticeText(notice: Notice): string {
  const parts = ['This device ran out of storage.'];
  if (notice.evictedFiles > 0) {
    const files = notice.evictedFiles === 1 ? '1 3D model' : `${notice.evictedFiles} 3D models`;
    parts.push(
      `To make room, ${files} you had not saved for offline (${formatBytes(notice.evictedBytes)}) ` +
        `${notice.evictedFiles === 1 ? 'was' : 'were'} removed; they download again when you view them online.`,
    );
  }
  if (notice.notStored > 0) {
    parts.push(
      notice.notStored === 1
        ? 'One file could not be kept for offline use.'
        : `${notice.notStored} files could not be kept for offline use.`,
    );
  }
  parts.push('What you saved for offline and your cart are kept.');
  return parts.join(' ');
}

/**
 * Banner shown after the device ran out of storage while caching models: what was removed to make room and
 * what could not be kept, until the shopper dismisses it with OK. Renders nothing otherwise.
 */
export default function StorageNotice() {
  const notice = useLiveQuery(readStorageNotice, []);
  if (!notice) return null;
  return (
    <div className="update-prompt storage-notice" role="alert">
      <span>{storageNoticeText(notice)}</span>
      <button type="button" onClick={() => void dismissStorageNotice()}>
        OK
      </button>
    </div>
  );
}
