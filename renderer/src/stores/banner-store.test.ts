import { beforeEach, describe, expect, it } from 'vitest';
import { bannerKey, useBannerStore } from './banner-store';

const FAILED_1 = '1 failed unlock attempt since the last unlock. They are in the audit log.';
const FAILED_2 = '2 failed unlock attempts since the last unlock. They are in the audit log.';
const DEMO = 'Demo vault with sample data.';

describe('dismissed banners', () => {
  beforeEach(() => {
    useBannerStore.setState(useBannerStore.getInitialState(), true);
  });

  it('stay dismissed for the same vault, kind and text, not for another vault', () => {
    const { dismiss } = useBannerStore.getState();
    dismiss('demo', bannerKey('v1', 'demo', DEMO));
    expect(useBannerStore.getState().isDismissed(bannerKey('v1', 'demo', DEMO))).toBe(true);
    expect(useBannerStore.getState().isDismissed(bannerKey('v2', 'demo', DEMO))).toBe(false);
  });

  it('come back when their text changes', () => {
    useBannerStore.getState().dismiss('failed-attempts', bannerKey('v1', 'failed-attempts', FAILED_1));
    expect(useBannerStore.getState().isDismissed(bannerKey('v1', 'failed-attempts', FAILED_1))).toBe(true);
    expect(useBannerStore.getState().isDismissed(bannerKey('v1', 'failed-attempts', FAILED_2))).toBe(false);
  });

  it('a critical one comes back after a lock, even saying the same; the others do not', () => {
    const { dismiss } = useBannerStore.getState();
    dismiss('failed-attempts', bannerKey('v1', 'failed-attempts', FAILED_1));
    dismiss('demo', bannerKey('v1', 'demo', DEMO));
    useBannerStore.getState().forgetCritical();
    expect(useBannerStore.getState().isDismissed(bannerKey('v1', 'failed-attempts', FAILED_1))).toBe(false);
    expect(useBannerStore.getState().isDismissed(bannerKey('v1', 'demo', DEMO))).toBe(true);
  });
});
