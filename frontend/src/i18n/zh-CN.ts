import type { OrgKind, OrgStatus, Role } from '../api';

/** Every user-facing string of the app. `en.ts` must have exactly the same shape. */
export const zhCN = {
  app: {
    title: '先锋 · 党组织管理平台',
    name: '先锋',
    tagline: '党组织和党员管理平台',
  },
  nav: {
    orgs: '组织架构',
  },
  login: {
    title: '账号登录',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
  },
  header: {
    logout: '退出登录',
    roles: {
      admin: '系统管理员',
      org_admin: '组织管理员',
      secretary: '支部书记',
      member: '党员',
      auditor: '审计员',
    } satisfies Record<Role, string>,
  },
  org: {
    treeTitle: '组织架构',
    searchPlaceholder: '在已展开的组织中搜索',
    noOrgs: '暂无可查看的组织',
    noMatch: '没有名称匹配的组织',
    selectHint: '请在左侧选择一个组织查看详情',
    memberCount: (count: number) => `${count.toLocaleString('zh-CN')} 名党员`,
    kinds: {
      committee: '党委',
      working_committee: '党工委',
      general_branch: '党总支',
      branch: '党支部',
      group: '党小组',
    } satisfies Record<OrgKind, string>,
    statuses: {
      active: '正常',
      dissolved: '已撤销',
    } satisfies Record<OrgStatus, string>,
    fields: {
      kind: '组织类别',
      code: '组织编码',
      secretary: '书记',
      phone: '联系电话',
      established: '成立日期',
      status: '状态',
      children: '直属下级组织',
      population: '服务人口',
    },
    stats: {
      title: '下辖统计',
      orgCount: '组织总数（含本级）',
      memberCount: '党员总数',
      byKind: '按类别',
    },
    empty: '—',
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    unknown: '操作失败，请稍后重试',
    loadUser: '无法获取当前用户信息',
    backToLogin: '重新登录',
  },
};

export type Messages = typeof zhCN;
