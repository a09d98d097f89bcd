import type { Messages } from './zh-CN';

export const en: Messages = {
  app: {
    title: 'Vanguard · Party Organisation Management',
    name: 'Vanguard',
    tagline: 'Party organisation and membership management',
  },
  nav: {
    orgs: 'Organisations',
  },
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Please enter your username',
    passwordRequired: 'Please enter your password',
    submit: 'Sign in',
  },
  header: {
    logout: 'Sign out',
    roles: {
      admin: 'Administrator',
      org_admin: 'Organisation administrator',
      secretary: 'Branch secretary',
      member: 'Member',
      auditor: 'Auditor',
    },
  },
  org: {
    treeTitle: 'Organisations',
    searchPlaceholder: 'Search expanded organisations',
    noOrgs: 'No organisations to show',
    noMatch: 'No organisation matches',
    selectHint: 'Select an organisation on the left to see its details',
    memberCount: (count: number) => `${count.toLocaleString('en')} ${count === 1 ? 'member' : 'members'}`,
    kinds: {
      committee: 'Committee',
      working_committee: 'Working committee',
      general_branch: 'General branch',
      branch: 'Branch',
      group: 'Group',
    },
    statuses: {
      active: 'Active',
      dissolved: 'Dissolved',
    },
    fields: {
      kind: 'Kind',
      code: 'Code',
      secretary: 'Secretary',
      phone: 'Contact phone',
      established: 'Established',
      status: 'Status',
      children: 'Direct sub-organisations',
      population: 'Residents served',
    },
    stats: {
      title: 'Subtree statistics',
      orgCount: 'Organisations (incl. itself)',
      memberCount: 'Members',
      byKind: 'By kind',
    },
    empty: '—',
  },
  errors: {
    network: 'Cannot reach the server; check the network and try again',
    unknown: 'Something went wrong; please try again later',
    loadUser: 'Could not load the current user',
    backToLogin: 'Sign in again',
  },
};
