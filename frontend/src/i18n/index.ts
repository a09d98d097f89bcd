import antdZhCN from 'antd/locale/zh_CN';
import { zhCN } from './zh-CN';

/** The UI language. Switching language means switching these three together. */
export const LOCALE = 'zh-CN';
export const t = zhCN;
export const antdLocale = antdZhCN;
