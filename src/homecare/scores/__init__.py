"""Insurer-function scores (保険者機能強化推進交付金・介護保険保険者努力支援交付金 評価結果):
read the national Excel file, map insurers to municipalities, validate, summarise 目標III.
Terms: docs/glossary.md."""
