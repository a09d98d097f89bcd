"""The roll's coded values in the words a Party organisation writes them (exports, printed ledgers)."""

from __future__ import annotations

from vanguard.members.models import Category, Education, Gender, MemberStatus, Stage

GENDER_ZH: dict[Gender, str] = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_ZH: dict[Education, str] = {
    Education.POSTGRADUATE: "研究生",
    Education.BACHELOR: "大学本科",
    Education.ASSOCIATE: "大学专科",
    Education.SECONDARY: "中专/高中",
    Education.MIDDLE_OR_BELOW: "初中及以下",
}
CATEGORY_ZH: dict[Category, str] = {
    Category.EMPLOYED: "在职",
    Category.RURAL: "农村",
    Category.RETIRED: "离退休",
    Category.FLOATING: "流动",
    Category.NON_PUBLIC: "非公企业",
    Category.STUDENT: "学生",
    Category.UNEMPLOYED: "下岗失业",
    Category.LOW_INCOME: "困难",
}
STAGE_ZH: dict[Stage, str] = {
    Stage.APPLICANT: "入党申请人",
    Stage.ACTIVIST: "入党积极分子",
    Stage.CANDIDATE: "发展对象",
    Stage.PROBATIONARY: "预备党员",
    Stage.FULL: "正式党员",
}
STATUS_ZH: dict[MemberStatus, str] = {
    MemberStatus.NORMAL: "正常",
    MemberStatus.EXPELLED: "出党",
    MemberStatus.SUSPENDED: "停止党籍",
    MemberStatus.WITHDRAWN: "退党/除名",
    MemberStatus.DECEASED: "死亡",
    MemberStatus.TRANSFERRED_OUT: "转出",
}
