/**
 * The list of showrooms on this device, each with a link to walk into it.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'wouter';
import { db } from '../../db/db';
import { useCatalogStatus } from '../../sync/use-catalog-status';
import './showroom.css';

/** Page listing every showroom (route `/showrooms`). */
export default function ShowroomsPage() {
  const showrooms = useLiveQuery(() => db.showrooms.orderBy('id').toArray(), []);
  const { hasCatalog } = useCatalogStatus();
  return (
    <div className="showrooms-page">
      <h1>Showrooms</h1>
      {showrooms === undefined || (showrooms.length === 0 && !hasCatalog) ? (
        <p role="status">Loading showrooms…</p>
      ) : showrooms.length === 0 ? (
        <p>No showrooms yet.</p>
      ) : (
        <ul className="showroom-list" aria-label="Showrooms">
          {showrooms.map((s) => (
            <li key={s.id} className="showroom-list-item">
              <h2>{s.name}</h2>
              <p>{s.description}</p>
              <p className="showroom-list-meta">
                {s.fixtures.length} {s.fixtures.length === 1 ? 'product' : 'products'} in a room of{' '}
                {s.room.width} × {s.room.depth} m
              </p>
              <Link to={`/showroom/${s.id}`}>Enter {s.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
