-- Key Account Lens summary, format 1: order lines summed per customer, month, region, segment,
-- category, sales rep and discount band. Written in the SQL that DuckDB, Spark SQL, BigQuery and Snowflake share;
-- tested in DuckDB only. Run it over a view named sales with the canonical columns (README: "Past one tab").
-- Write the result as Parquet with the summarize command's kal_summary metadata for the site to read it as a summary.
-- Generated from src/analysis/summary.ts: edit that, not this.
SELECT
  customer,
  MAX(customer_name) AS customer_name,
  EXTRACT(YEAR FROM date) AS year,
  EXTRACT(MONTH FROM date) AS month,
  region AS region,
  segment AS segment,
  category AS category,
  rep AS rep,
  CASE WHEN discount_rate IS NULL THEN NULL ELSE CASE WHEN discount_rate <= 1e-9 THEN 0 WHEN discount_rate <= 0.05 + 1e-9 THEN 1 WHEN discount_rate <= 0.10 + 1e-9 THEN 2 WHEN discount_rate <= 0.20 + 1e-9 THEN 3 WHEN discount_rate <= 0.30 + 1e-9 THEN 4 ELSE 5 END END AS discount_band,
  COUNT(*) AS lines,
  COUNT(DISTINCT order_id) AS orders,
  SUM(CASE WHEN profit < 0 THEN 1 ELSE 0 END) AS loss_lines,
  COUNT(profit) AS profit_lines,
  SUM(quantity) AS quantity,
  SUM(amount) AS amount,
  SUM(gross) AS gross,
  SUM(discount_amount) AS discount_amount,
  SUM(cost) AS cost,
  SUM(profit) AS profit,
  SUM(customer_profit) AS customer_profit,
  SUM(rebate) AS rebate,
  SUM(promo) AS promo,
  SUM(freight) AS freight
FROM sales
GROUP BY 1, 3, 4, 5, 6, 7, 8, 9
