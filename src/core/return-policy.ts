/**
 * A brand's return policy (schema.org MerchantReturnPolicy) told in plain sentences, shown before purchase.
 */
import { formatMoney, type Money } from './money';

/**
 * schema.org MerchantReturnPolicy as the catalog carries it (protocol's `ReturnPolicy` has this shape; a new
 * enum value there stops the typecheck until it has a sentence here).
 */
export interface ReturnPolicy {
  returnPolicyCategory:
    'MerchantReturnFiniteReturnWindow' | 'MerchantReturnUnlimitedWindow' | 'MerchantReturnNotPermitted';
  merchantReturnDays?: number;
  returnFees: 'FreeReturn' | 'ReturnFeesCustomerResponsibility' | 'ReturnShippingFees';
  returnShippingFees?: Money;
  refundType: 'FullRefund' | 'ExchangeRefund' | 'StoreCreditRefund';
  returnMethod: 'ReturnByMail' | 'ReturnInStore' | 'ReturnAtKiosk';
}

function windowSentence(policy: ReturnPolicy): string {
  switch (policy.returnPolicyCategory) {
    case 'MerchantReturnFiniteReturnWindow': {
      const days = policy.merchantReturnDays;
      if (days === undefined) return 'You can return this for a limited time after delivery.';
      return `You can return this within ${days} ${days === 1 ? 'day' : 'days'} of delivery.`;
    }
    case 'MerchantReturnUnlimitedWindow':
      return 'You can return this at any time.';
    case 'MerchantReturnNotPermitted':
      return 'This item cannot be returned.';
  }
}

function feesSentence(policy: ReturnPolicy, locale?: string): string {
  switch (policy.returnFees) {
    case 'FreeReturn':
      return 'Sending it back is free.';
    case 'ReturnFeesCustomerResponsibility':
      return 'You pay the cost of sending it back.';
    case 'ReturnShippingFees':
      return policy.returnShippingFees
        ? `Return shipping costs ${formatMoney(policy.returnShippingFees, locale)}.`
        : 'You pay for return shipping.';
  }
}

function refundSentence(policy: ReturnPolicy): string {
  switch (policy.refundType) {
    case 'FullRefund':
      return 'You get a full refund to your original payment method.';
    case 'ExchangeRefund':
      return 'You can exchange it for another item.';
    case 'StoreCreditRefund':
      return 'You get store credit for what you paid.';
  }
}

function methodSentence(policy: ReturnPolicy): string {
  switch (policy.returnMethod) {
    case 'ReturnByMail':
      return 'Send it back by mail.';
    case 'ReturnInStore':
      return 'Bring it back to a store.';
    case 'ReturnAtKiosk':
      return 'Drop it off at a return kiosk.';
  }
}

/**
 * The policy as sentences, e.g. "You can return this within 30 days of delivery.", "Sending it back is free.",
 * "You get a full refund to your original payment method.", "Send it back by mail.". A policy that permits no
 * returns is only that one sentence. The brand's own `conditions` text is not included (show it as written).
 * No sentence says "Returns": pages put that word in the heading above these sentences.
 */
export function returnPolicySentences(policy: ReturnPolicy, locale?: string): string[] {
  if (policy.returnPolicyCategory === 'MerchantReturnNotPermitted') return [windowSentence(policy)];
  return [
    windowSentence(policy),
    feesSentence(policy, locale),
    refundSentence(policy),
    methodSentence(policy),
  ];
}
