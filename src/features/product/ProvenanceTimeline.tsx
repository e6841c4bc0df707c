import { useEffect, useState } from 'react';
import { verifyTrail, type TrailCheck } from '../../core/provenance';
import type { ProvenanceEvent } from '../../protocol/catalog';
import { countryName, formatDate, stepWords } from './product-text';

interface ProvenanceTimelineProps {
  events: readonly ProvenanceEvent[];
}

/** Result of checking one trail; `trail` ties it to the events it was computed for. */
interface Verdict {
  trail: readonly ProvenanceEvent[];
  check: TrailCheck | 'unavailable';
}

function verdictText(verdict: Verdict | undefined, count: number): string {
  if (!verdict) return 'Checking the trail…';
  if (verdict.check === 'unavailable')
    return 'This browser cannot check the trail here (it needs a secure connection).';
  if (verdict.check.ok) {
    return `The trail verifies: each of its ${count} steps is sealed to the one before it, so none has been changed or removed.`;
  }
  return `The trail does not verify: step ${verdict.check.brokenAt + 1} or one before it has been changed, moved or removed since it was recorded.`;
}

/** The supply-chain steps in order, and whether their hash chain verifies. */
export default function ProvenanceTimeline({ events }: ProvenanceTimelineProps) {
  const [verdict, setVerdict] = useState<Verdict>();

  useEffect(() => {
    let live = true;
    verifyTrail(events).then(
      (check) => live && setVerdict({ trail: events, check }),
      () => live && setVerdict({ trail: events, check: 'unavailable' }),
    );
    return () => {
      live = false;
    };
  }, [events]);

  if (events.length === 0) return <p>The brand has not published a provenance trail for this product.</p>;
  const current = verdict?.trail === events ? verdict : undefined;
  const ok = current && current.check !== 'unavailable' && current.check.ok;
  const broken = current && current.check !== 'unavailable' && !current.check.ok;

  return (
    <>
      <ol className="provenance" aria-label="Provenance">
        {events.map((event) => (
          <li key={event.hash} className="provenance-step">
            <time dateTime={event.eventTime}>{formatDate(event.eventTime)}</time>
            <p className="provenance-what">{stepWords(event.bizStep)}</p>
            <p>
              {event.location.name}, {countryName(event.location.country)} · {event.actor}
            </p>
            {event.description && <p className="provenance-description">{event.description}</p>}
          </li>
        ))}
      </ol>
      <p
        className={`provenance-verdict${ok ? ' is-ok' : ''}${broken ? ' is-broken' : ''}`}
        data-verified={current ? String(Boolean(ok)) : undefined}
      >
        {verdictText(current, events.length)}
      </p>
    </>
  );
}
