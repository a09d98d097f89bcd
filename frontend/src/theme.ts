import type { ThemeConfig } from 'antd';

/** Party red (党徽红) as the primary colour, on antd's default light theme. */
export const PARTY_RED = '#c8161d';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: PARTY_RED,
    colorLink: PARTY_RED,
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: PARTY_RED, headerHeight: 56, headerPadding: '0 24px' },
  },
};
