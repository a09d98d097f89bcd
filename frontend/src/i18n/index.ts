import antdEnUS from 'antd/locale/en_US';
import antdZhCN from 'antd/locale/zh_CN';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'zh-CN' | 'en';

const STORAGE_KEY = 'vanguard.locale';

/** Chinese unless the user chose English: the product is zh-CN first. */
export function chooseLocale(stored: string | null): Locale {
  return stored === 'en' ? 'en' : 'zh-CN';
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode, policies): Chinese
  }
}

/**
 * The UI language, fixed for the page's life: strings, antd's own texts and the API's messages
 * (Accept-Language) switch together, so switching reloads the page.
 */
export const LOCALE: Locale = chooseLocale(storedLocale());
export const t = LOCALE === 'en' ? en : zhCN;
export const antdLocale = LOCALE === 'en' ? antdEnUS : antdZhCN;

export function switchLocale(next: Locale, reload: () => void = () => { window.location.reload(); }): void {
  localStorage.setItem(STORAGE_KEY, next);
  reload();
}
