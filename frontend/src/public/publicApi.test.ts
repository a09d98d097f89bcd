import { toApiError } from '../lib/apiError';
import { PublicError, publicErrorMessage, retryAfterSeconds, unwrap } from './publicApi';
import { toPublicBody } from './publicBody';

const limited = {
  type: 'about:blank',
  title: 'Too Many Requests',
  status: 429,
  detail: 'Too many requests; try again later',
  code: 'rate_limited',
  messages: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
};

describe('retryAfterSeconds', () => {
  it('reads seconds or an HTTP date', () => {
    expect(retryAfterSeconds('42')).toBe(42);
    expect(retryAfterSeconds('Fri, 20 Mar 2026 02:00:30 GMT', new Date('2026-03-20T02:00:00Z'))).toBe(30);
    expect(retryAfterSeconds('Fri, 20 Mar 2026 01:00:00 GMT', new Date('2026-03-20T02:00:00Z'))).toBe(0);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
  });
});

describe('unwrap', () => {
  it('gives the data of a success', async () => {
    const response = new Response('{}', { status: 201 });
    await expect(unwrap(Promise.resolve({ data: { tracking_code: 'ABC' }, response }))).resolves.toEqual({ tracking_code: 'ABC' });
  });

  it('keeps the wait of a rate limit and says it', async () => {
    const response = new Response(null, { status: 429, headers: { 'Retry-After': '17' } });
    const error = await unwrap(Promise.resolve({ error: toApiError(limited, response), response })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PublicError);
    expect((error as PublicError).status).toBe(429);
    expect((error as PublicError).retryAfter).toBe(17);
    expect(publicErrorMessage(error)).toBe('操作过于频繁，请 17 秒后再试');
  });

  it('shows the server’s words for other refusals, and the network for none', async () => {
    const response = new Response(null, { status: 409 });
    const problem = { ...limited, status: 409, code: 'not_rateable', messages: { 'zh-CN': '诉求尚未办结，暂不能评价' } };
    const conflict = await unwrap(Promise.resolve({ error: toApiError(problem, response), response })).catch((caught: unknown) => caught);
    expect(publicErrorMessage(conflict)).toBe('诉求尚未办结，暂不能评价');
    const offline = await unwrap(Promise.resolve({ error: toApiError(new TypeError('Failed to fetch'), undefined) })).catch((caught: unknown) => caught);
    expect(publicErrorMessage(offline)).toBe('无法连接服务器，请检查网络后重试');
  });
});

describe('toPublicBody', () => {
  it('trims, and leaves blank optional fields out (anonymous)', () => {
    expect(toPublicBody({ category: 'roads', title: ' 路灯不亮 ', description: '三盏路灯坏了', reporter_name: ' ', reporter_phone: '' })).toEqual({
      category: 'roads',
      title: '路灯不亮',
      description: '三盏路灯坏了',
      location_text: null,
      village: null,
      reporter_name: null,
      reporter_phone: null,
    });
  });
});
