/** Column roles of the canonical sales model, their header synonyms (English and Chinese), and the guesser. */

export const ROLES = [
  'customer',
  'customer_name',
  'amount',
  'date',
  'quantity',
  'unit_price',
  'list_price',
  'gross',
  'cost',
  'profit',
  'discount',
  'rebate',
  'promo',
  'freight',
  'program',
  'product',
  'category',
  'region',
  'segment',
  'rep',
  'country',
  'order_id',
] as const;

export type Role = (typeof ROLES)[number];
export type Mapping = Partial<Record<Role, string>>;

export type RoleKind = 'text' | 'number' | 'date';

export interface RoleInfo {
  label: string;
  kind: RoleKind;
  help: string;
  /** Normalised header names, most specific first. */
  synonyms: string[];
}

export const ROLE_INFO: Record<Role, RoleInfo> = {
  customer: {
    label: 'Customer',
    kind: 'text',
    help: 'Identifies the account; an ID is preferred over a name',
    synonyms: [
      'customerid',
      'custid',
      'customerno',
      'customernumber',
      'customercode',
      'accountid',
      'accountno',
      'clientid',
      'dealerid',
      'soldto',
      'soldtoparty',
      'buyerid',
      '客户编号',
      '客户代码',
      '客户id',
      'customer',
      'customername',
      'account',
      'accountname',
      'client',
      'clientname',
      'dealer',
      'dealername',
      'buyer',
      'companyname',
      '客户',
      '客户名称',
      '客户名',
      '经销商',
      '经销商名称',
      '购买方',
      '买方',
      '客戶',
      '客戶名稱',
      '客戶名',
      'kunde',
      'kundenname',
      'kundennummer',
      'kundennr',
      '得意先',
      '得意先名',
      '顧客',
      '顧客名',
      '取引先',
      '取引先名',
    ],
  },
  customer_name: {
    label: 'Customer name',
    kind: 'text',
    help: 'Display name when the customer column is an ID',
    synonyms: [
      'customername',
      'accountname',
      'clientname',
      'dealername',
      'companyname',
      'customer',
      '客户名称',
      '客户名',
      '经销商名称',
    ],
  },
  amount: {
    label: 'Net revenue',
    kind: 'number',
    help: 'Net sales amount per line (after on-invoice discount)',
    synonyms: [
      'netsales',
      'netrevenue',
      'netamount',
      'sales',
      'revenue',
      'amount',
      'salesamount',
      'salesvalue',
      'linetotal',
      'total',
      'totalamount',
      'value',
      'invoiceamount',
      'turnover',
      'extendedprice',
      '销售额',
      '金额',
      '销售金额',
      '净销售额',
      '销售收入',
      '收入',
      '营业额',
      '含税金额',
      '不含税金额',
      '銷售額',
      '銷售金額',
      '金額',
      'umsatz',
      'nettoumsatz',
      '売上',
      '売上金額',
      '売上高',
      '金額税抜',
    ],
  },
  date: {
    label: 'Date',
    kind: 'date',
    help: 'Order or invoice date',
    synonyms: [
      'orderdate',
      'invoicedate',
      'date',
      'postingdate',
      'transactiondate',
      'salesdate',
      'documentdate',
      'billingdate',
      'orderday',
      '日期',
      '订单日期',
      '销售日期',
      '开票日期',
      '单据日期',
      '下单日期',
      '訂單日期',
      '銷售日期',
      'datum',
      'rechnungsdatum',
      'belegdatum',
      '受注日',
      '売上日',
      '注文日',
      '伝票日付',
      '日付',
      'shipdate',
      'shippeddate',
    ],
  },
  quantity: {
    label: 'Quantity',
    kind: 'number',
    help: 'Units sold',
    synonyms: ['quantity', 'qty', 'quantityordered', 'units', 'unitssold', 'volume', '数量', '销量', '销售数量'],
  },
  unit_price: {
    label: 'Unit price',
    kind: 'number',
    help: 'Invoice price per unit',
    synonyms: ['unitprice', 'price', 'priceeach', 'netprice', 'sellingprice', 'invoiceprice', '单价', '售价', '成交价'],
  },
  list_price: {
    label: 'List price',
    kind: 'number',
    help: 'List price per unit (MSRP)',
    synonyms: [
      'listprice',
      'msrp',
      'rrp',
      'catalogprice',
      'pricelist',
      'grossprice',
      '标准价',
      '目录价',
      '原价',
      '指导价',
    ],
  },
  gross: {
    label: 'Gross amount',
    kind: 'number',
    help: 'List price x quantity, before discounts',
    synonyms: ['grosssales', 'grossamount', 'grossrevenue', 'listamount', 'listvalue', '原价金额', '总额'],
  },
  cost: {
    label: 'Cost (COGS)',
    kind: 'number',
    help: 'Cost of goods sold for the line',
    synonyms: [
      'cogs',
      'cost',
      'costofgoods',
      'costofgoodssold',
      'costofsales',
      'totalcost',
      'productcost',
      '成本',
      '销售成本',
      '成本金额',
    ],
  },
  profit: {
    label: 'Profit',
    kind: 'number',
    help: 'Gross profit of the line',
    synonyms: [
      'profit',
      'grossprofit',
      'gp',
      'margin',
      'grossmargin',
      'marginamount',
      '利润',
      '毛利',
      '毛利润',
      '毛利额',
    ],
  },
  discount: {
    label: 'Discount',
    kind: 'number',
    help: 'On-invoice discount, as an amount or a rate',
    synonyms: [
      'discount',
      'discountamount',
      'discountrate',
      'disc',
      'discpct',
      'discount%',
      '折扣',
      '折扣额',
      '折扣率',
      '折让',
    ],
  },
  rebate: {
    label: 'Rebate',
    kind: 'number',
    help: 'Off-invoice rebate or bonus',
    synonyms: ['rebate', 'rebateamount', 'bonus', 'volumebonus', '返利', '返点', '返利金额'],
  },
  promo: {
    label: 'Promotion / co-op',
    kind: 'number',
    help: 'Co-op or promotion cost',
    synonyms: [
      'promo',
      'promocost',
      'promotioncost',
      'coop',
      'coopcost',
      'marketingcost',
      'tradespend',
      '促销费',
      '推广费',
      '市场费用',
    ],
  },
  freight: {
    label: 'Freight / cost-to-serve',
    kind: 'number',
    help: 'Freight, shipping or service cost',
    synonyms: [
      'freight',
      'freightcost',
      'shipping',
      'shippingcost',
      'delivery',
      'deliverycost',
      'servicecost',
      'costtoserve',
      '运费',
      '物流费',
      '服务成本',
    ],
  },
  program: {
    label: 'Incentive programme',
    kind: 'text',
    help: 'Programme, campaign or deal',
    synonyms: [
      'program',
      'programme',
      'programid',
      'campaign',
      'deal',
      'incentive',
      'promotion',
      '项目',
      '活动',
      '促销活动',
    ],
  },
  product: {
    label: 'Product',
    kind: 'text',
    help: 'Product, SKU or item',
    synonyms: [
      'productname',
      'product',
      'productid',
      'productcode',
      'sku',
      'item',
      'itemname',
      'itemcode',
      'material',
      'article',
      '产品',
      '产品名称',
      '商品',
      '物料',
    ],
  },
  category: {
    label: 'Category',
    kind: 'text',
    help: 'Product category or line',
    synonyms: [
      'category',
      'productcategory',
      'productline',
      'family',
      'productfamily',
      'subcategory',
      '类别',
      '品类',
      '产品线',
    ],
  },
  region: {
    label: 'Region',
    kind: 'text',
    help: 'Sales region or territory',
    synonyms: ['region', 'salesregion', 'territory', 'area', 'zone', '地区', '区域', '大区'],
  },
  segment: {
    label: 'Segment',
    kind: 'text',
    help: 'Customer segment, type or channel',
    synonyms: [
      'segment',
      'customersegment',
      'customertype',
      'customergroup',
      'channel',
      'tier',
      'dealsize',
      '客户类型',
      '客户分类',
      '渠道',
    ],
  },
  rep: {
    label: 'Sales rep',
    kind: 'text',
    help: 'Salesperson or account manager',
    synonyms: [
      'salesrep',
      'rep',
      'salesperson',
      'salesman',
      'accountmanager',
      'owner',
      'seller',
      'employeeid',
      'employee',
      '业务员',
      '销售员',
      '客户经理',
    ],
  },
  country: {
    label: 'Country',
    kind: 'text',
    help: 'Country',
    synonyms: ['country', 'countryregion', 'nation', 'shipcountry', '国家'],
  },
  order_id: {
    label: 'Order ID',
    kind: 'text',
    help: 'Order or invoice number (for order counts)',
    synonyms: [
      'orderid',
      'ordernumber',
      'orderno',
      'invoiceid',
      'invoiceno',
      'invoicenumber',
      'invoice',
      'documentno',
      '订单号',
      '单号',
      '发票号',
      '订单编号',
    ],
  },
};

/** Case-insensitive, ignoring spaces, underscores, hyphens, dots, slashes and brackets. */
export function normaliseHeader(h: string): string {
  return h
    .toLowerCase()
    .replace(/^\uFEFF/, '')
    .replace(/[\s_\-./()[\]:#]+/g, '');
}

export interface ColumnProfile {
  name: string;
  /** Share of non-empty sample values that parse as numbers / dates. */
  numericShare: number;
  dateShare: number;
  nonEmpty: number;
}

/** Guesses a role for each column from its header, checked against what its values look like. */
export function guessMapping(columns: ColumnProfile[]): Mapping {
  const mapping: Mapping = {};
  const taken = new Set<string>();
  // An exact header name needs only most values to fit (the rest become rejected rows, counted and shown);
  // a loose match must be convincing on its own.
  const fits = (role: Role, col: ColumnProfile, share = 0.5) => {
    const kind = ROLE_INFO[role].kind;
    if (col.nonEmpty === 0) return kind === 'text';
    if (kind === 'number') return col.numericShare >= share;
    if (kind === 'date') return col.dateShare >= share;
    return true;
  };
  const byNorm = new Map(columns.map((c) => [normaliseHeader(c.name), c]));
  for (const role of ROLES) {
    for (const syn of ROLE_INFO[role].synonyms) {
      const col = byNorm.get(syn);
      if (col && !taken.has(col.name) && fits(role, col)) {
        mapping[role] = col.name;
        taken.add(col.name);
        break;
      }
    }
  }
  // Looser pass for headers like "Customer Code (SAP)" or "Net Sales EUR".
  const loose: [Role, RegExp][] = [
    ['customer', /customer|client|account|dealer|客户|经销商/],
    ['amount', /netsales|revenue|salesamount|amount|sales|销售额|金额/],
    ['date', /orderdate|invoicedate|date|日期/],
    ['quantity', /qty|quantity|数量/],
    ['profit', /profit|利润|毛利/],
    ['cost', /cost|成本/],
  ];
  for (const [role, re] of loose) {
    if (mapping[role]) continue;
    const col = columns.find((c) => !taken.has(c.name) && re.test(normaliseHeader(c.name)) && fits(role, c, 0.8));
    if (col) {
      mapping[role] = col.name;
      taken.add(col.name);
    }
  }
  if (mapping.customer_name && !mapping.customer) {
    mapping.customer = mapping.customer_name;
    delete mapping.customer_name;
  }
  return mapping;
}

/** What the file lacks to be loaded at all; empty when it can be loaded. */
export function missingRequired(m: Mapping): string[] {
  const missing: string[] = [];
  if (!m.customer) missing.push('customer');
  if (!m.amount && !(m.quantity && m.unit_price)) missing.push('net revenue (or quantity and unit price)');
  return missing;
}
