import { describe, expect, test } from 'vitest';
import { returnPolicySentences, type ReturnPolicy } from '../../src/core/return-policy';
import { ReturnPolicy as ReturnPolicySchema } from '../../src/protocol/catalog';

const base: ReturnPolicy = {
  returnPolicyCategory: 'MerchantReturnFiniteReturnWindow',
  merchantReturnDays: 30,
  returnFees: 'FreeReturn',
  refundType: 'FullRefund',
  returnMethod: 'ReturnByMail',
};
const say = (patch: Partial<ReturnPolicy>) => returnPolicySentences({ ...base, ...patch }).join(' ');

describe('returnPolicySentences', () => {
  test('the common policy in plain words', () => {
    expect(say({})).toBe(
      'You can return this within 30 days of delivery. Sending it back is free. ' +
        'You get a full refund to your original payment method. Send it back by mail.',
    );
  });

  test('return windows', () => {
    expect(say({ merchantReturnDays: 1 })).toContain('within 1 day of delivery.');
    expect(say({ merchantReturnDays: undefined })).toContain('for a limited time after delivery.');
    expect(say({ returnPolicyCategory: 'MerchantReturnUnlimitedWindow' })).toContain(
      'You can return this at any time.',
    );
    expect(returnPolicySentences({ ...base, returnPolicyCategory: 'MerchantReturnNotPermitted' })).toEqual([
      'This item cannot be returned.',
    ]);
  });

  test('fees', () => {
    expect(say({ returnFees: 'ReturnFeesCustomerResponsibility' })).toContain(
      'You pay the cost of sending it back.',
    );
    expect(say({ returnFees: 'ReturnShippingFees' })).toContain('You pay for return shipping.');
    expect(
      say({ returnFees: 'ReturnShippingFees', returnShippingFees: { amount: 590, currency: 'EUR' } }),
    ).toContain('Return shipping costs €5.90.');
  });

  test('refunds and methods', () => {
    expect(say({ refundType: 'ExchangeRefund' })).toContain('You can exchange it for another item.');
    expect(say({ refundType: 'StoreCreditRefund' })).toContain('You get store credit for what you paid.');
    expect(say({ returnMethod: 'ReturnInStore' })).toContain('Bring it back to a store.');
    expect(say({ returnMethod: 'ReturnAtKiosk' })).toContain('Drop it off at a return kiosk.');
  });

  test('every enum value of the wire schema has its own sentence', () => {
    const shape = ReturnPolicySchema.shape;
    const seen = new Set<string>();
    for (const returnPolicyCategory of shape.returnPolicyCategory.options)
      for (const returnFees of shape.returnFees.options)
        for (const refundType of shape.refundType.options)
          for (const returnMethod of shape.returnMethod.options) {
            const sentences = returnPolicySentences({
              returnPolicyCategory,
              merchantReturnDays: 14,
              returnFees,
              refundType,
              returnMethod,
            });
            for (const s of sentences) {
              expect(s).toMatch(/^[A-Z].*\.$/);
              seen.add(s);
            }
          }
    // 3 windows, 3 fee texts, 3 refunds, 3 methods.
    expect(seen.size).toBe(3 + 3 + 3 + 3);
  });
});
