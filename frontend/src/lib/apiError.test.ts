import { ApiError, errorMessage, toApiError } from './apiError';

const problem = {
  type: 'about:blank',
  title: 'Unauthorized',
  status: 401,
  detail: 'Incorrect username or password',
  code: 'invalid_credentials',
  messages: { 'zh-CN': '用户名或密码错误', en: 'Incorrect username or password' },
};

describe('errorMessage', () => {
  it('shows the zh-CN message of a problem', () => {
    expect(errorMessage(toApiError(problem, new Response(null, { status: 401 })))).toBe('用户名或密码错误');
  });

  it('falls back to detail when the problem has no message in the UI language', () => {
    const error = toApiError({ ...problem, messages: { en: 'x' } }, new Response(null, { status: 401 }));
    expect(errorMessage(error)).toBe('Incorrect username or password');
  });

  it('says the server is unreachable when there was no response', () => {
    expect(errorMessage(toApiError(new TypeError('Failed to fetch'), undefined))).toBe('无法连接服务器，请检查网络后重试');
  });

  it('gives a generic message for a body that is not a problem', () => {
    const error = toApiError('<html>Bad Gateway</html>', new Response(null, { status: 502 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(errorMessage(error)).toBe('操作失败，请稍后重试');
  });
});
