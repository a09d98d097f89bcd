import { describe, expect, it, vi } from 'vitest';
import { retryingBusyReads } from './authFetch';

const busy = () => new Response('{"code":"database_busy"}', { status: 503, headers: { 'Retry-After': '1' } });
const ok = () => new Response('{}', { status: 200 });

describe('retryingBusyReads', () => {
  it('retries a read after the wait the server asked for', async () => {
    const base = vi.fn<typeof fetch>().mockResolvedValueOnce(busy()).mockResolvedValueOnce(ok());
    const sleep = vi.fn(() => Promise.resolve());
    const response = await retryingBusyReads(base, sleep)('http://x/api/v1/members/1');
    expect(response.status).toBe(200);
    expect(base).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledWith(1000);
  });

  it('gives up after two retries and returns the 503', async () => {
    const base = vi.fn<typeof fetch>().mockImplementation(() => Promise.resolve(busy()));
    const response = await retryingBusyReads(base, () => Promise.resolve())('http://x/api/v1/members/1');
    expect(response.status).toBe(503);
    expect(base).toHaveBeenCalledTimes(3);
  });

  it('never repeats a write', async () => {
    const base = vi.fn<typeof fetch>().mockImplementation(() => Promise.resolve(busy()));
    const response = await retryingBusyReads(base, () => Promise.resolve())('http://x/api/v1/members', {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(503);
    expect(base).toHaveBeenCalledTimes(1);
  });

  it('does not retry a 503 without Retry-After (not ours to judge)', async () => {
    const base = vi.fn<typeof fetch>().mockResolvedValue(new Response('', { status: 503 }));
    await retryingBusyReads(base, () => Promise.resolve())('http://x/');
    expect(base).toHaveBeenCalledTimes(1);
  });
});
