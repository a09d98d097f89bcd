import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseLocale, switchLocale } from '.';
import { en } from './en';
import { zhCN } from './zh-CN';

describe('locale', () => {
  afterEach(() => { localStorage.clear(); });

  it('is Chinese unless English was chosen', () => {
    expect(chooseLocale(null)).toBe('zh-CN');
    expect(chooseLocale('fr')).toBe('zh-CN');
    expect(chooseLocale('en')).toBe('en');
  });

  it('remembers the choice and reloads so everything switches together', () => {
    const reload = vi.fn();
    switchLocale('en', reload);
    expect(localStorage.getItem('vanguard.locale')).toBe('en');
    expect(reload).toHaveBeenCalledOnce();
  });

  it('has every Chinese key in English too', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });
});
