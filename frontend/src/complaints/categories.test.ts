import type { ComplaintCategory, Open311Service } from '../api';
import { categoryNames, categoryTreeData, publicCategoryGroups } from './categories';

const node = (id: number, code: string, name: string, children: ComplaintCategory[] = [], active = true): ComplaintCategory => ({
  id,
  parent_id: null,
  code,
  name_zh: name,
  name_en: code,
  accept_days: null,
  handle_days: null,
  extension_days: null,
  is_active: active,
  version: 1,
  children,
});

const tree = [
  node(1, 'infrastructure', '基础设施', [node(2, 'roads', '道路交通'), node(3, 'bridges', '桥梁', [], false)]),
  node(4, 'other', '其他'),
];

describe('staff category tree', () => {
  it('offers active categories by code', () => {
    expect(categoryTreeData(tree)).toEqual([
      { value: 'infrastructure', title: '基础设施', children: [{ value: 'roads', title: '道路交通' }] },
      { value: 'other', title: '其他' },
    ]);
  });

  it('names every category by id, with its parent, inactive ones too', () => {
    expect(categoryNames(tree)).toEqual({ 1: '基础设施', 2: '基础设施 / 道路交通', 3: '基础设施 / 桥梁', 4: '其他' });
  });
});

describe('public categories from the Open311 services', () => {
  const service = (code: string, name: string, group: string): Open311Service => ({
    service_code: code,
    service_name: name,
    description: code,
    metadata: false,
    type: 'realtime',
    keywords: null,
    group,
  });

  it('groups subcategories under their parent, and offers a parent only when it has none', () => {
    const services = [
      service('infrastructure', '基础设施', '基础设施'),
      service('roads', '道路交通', '基础设施'),
      service('water_power', '水电供应', '基础设施'),
      service('other', '其他', '其他'),
    ];
    expect(publicCategoryGroups(services)).toEqual([
      {
        label: '基础设施',
        options: [
          { value: 'roads', label: '道路交通' },
          { value: 'water_power', label: '水电供应' },
        ],
      },
      { label: '其他', options: [{ value: 'other', label: '其他' }] },
    ]);
  });
});
