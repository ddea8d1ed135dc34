/** Tests and the benchmark make workbooks of any shape with the same small writer. */
export { makeXlsx } from '../../scripts/lib/xlsx.mjs';
