import type { Certification } from '../../protocol/catalog';
import { formatDate } from './product-text';

interface CertificationListProps {
  certifications: readonly Certification[];
}

/** Certifications with issuer, identifier, validity and the issuer's evidence link when there is one. */
export default function CertificationList({ certifications }: CertificationListProps) {
  if (certifications.length === 0) return <p>No certifications are listed for this product.</p>;
  return (
    <ul className="certifications" aria-label="Certifications">
      {certifications.map((c) => (
        <li key={`${c.issuedBy}|${c.certificationIdentification}`} className="certification">
          <p className="certification-name">{c.name}</p>
          <dl className="facts">
            <dt>Issued by</dt>
            <dd>{c.issuedBy}</dd>
            <dt>Certificate</dt>
            <dd>{c.certificationIdentification}</dd>
            <dt>Valid</dt>
            <dd>
              {c.validUntil
                ? `${formatDate(c.validFrom)} to ${formatDate(c.validUntil)}`
                : `from ${formatDate(c.validFrom)}`}
            </dd>
          </dl>
          {c.url && (
            <p>
              <a href={c.url} rel="noopener noreferrer">
                Evidence for {c.name} from {c.issuedBy}
              </a>
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
