import { returnPolicySentences } from '../../core/return-policy';
import type { ReturnPolicy } from '../../protocol/catalog';

interface ReturnPolicyTextProps {
  policy: ReturnPolicy;
  brandName: string;
}

/** The brand's return policy in plain sentences, then its conditions in the brand's own words. */
export default function ReturnPolicyText({ policy, brandName }: ReturnPolicyTextProps) {
  return (
    <>
      <p>{returnPolicySentences(policy).join(' ')}</p>
      {policy.conditions && (
        <p className="return-conditions">
          {brandName} adds: “{policy.conditions}”
        </p>
      )}
    </>
  );
}
