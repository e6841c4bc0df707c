import type { Brand, Product } from '../../protocol/catalog';
import CertificationList from './CertificationList';
import ProvenanceTimeline from './ProvenanceTimeline';
import ReturnPolicyText from './ReturnPolicyText';

interface QualitySectionProps {
  product: Product;
  brand: Brand | undefined;
}

/** "Quality & origin": certifications, the provenance trail and the return policy. */
export default function QualitySection({ product, brand }: QualitySectionProps) {
  return (
    <section className="quality" aria-labelledby="quality-heading">
      <h2 id="quality-heading">Quality &amp; origin</h2>
      <h3>Certifications</h3>
      <CertificationList certifications={product.certifications} />
      <h3>Where it comes from</h3>
      <ProvenanceTimeline events={product.provenance} />
      <h3>Returns</h3>
      {brand ? (
        <ReturnPolicyText policy={brand.returnPolicy} brandName={brand.name} />
      ) : (
        <p>The brand’s return policy is not on this device yet.</p>
      )}
    </section>
  );
}
