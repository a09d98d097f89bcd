import type { ComplaintCategory, Open311Service } from '../api';
import { LOCALE } from '../i18n';

// Categories carry their names in both UI languages.
const nameOf = (category: ComplaintCategory): string => ((LOCALE as string) === 'en' ? category.name_en : category.name_zh);

export interface CategoryNode {
  value: string;
  title: string;
  children?: CategoryNode[];
}

/** The category tree as a TreeSelect wants it, by code; inactive categories stay out of the choices. */
export function categoryTreeData(tree: ComplaintCategory[]): CategoryNode[] {
  return tree
    .filter((category) => category.is_active)
    .map((category) => {
      const children = categoryTreeData(category.children ?? []);
      return { value: category.code, title: nameOf(category), ...(children.length ? { children } : {}) };
    });
}

/** Every category's name by id (list rows carry only the id), inactive ones included. */
export function categoryNames(tree: ComplaintCategory[]): Record<number, string> {
  const names: Record<number, string> = {};
  const walk = (nodes: ComplaintCategory[], parent: string | null) => {
    for (const category of nodes) {
      const name = nameOf(category);
      names[category.id] = parent ? `${parent} / ${name}` : name;
      walk(category.children ?? [], name);
    }
  };
  walk(tree, null);
  return names;
}

export interface CategoryGroup {
  label: string;
  options: { value: string; label: string }[];
}

/**
 * The public category choices from the Open311 service list (the only category list that needs no
 * login). Each service names its group: a top-level category is its own group, and is offered only
 * when it has no subcategories (a more precise choice exists otherwise).
 */
export function publicCategoryGroups(services: Open311Service[]): CategoryGroup[] {
  const groups = new Map<string, Open311Service[]>();
  for (const service of services) {
    groups.set(service.group, [...(groups.get(service.group) ?? []), service]);
  }
  return [...groups.entries()].map(([group, members]) => {
    const children = members.filter((service) => service.service_name !== group);
    const offered = children.length ? children : members;
    return { label: group, options: offered.map((service) => ({ value: service.service_code, label: service.service_name })) };
  });
}
