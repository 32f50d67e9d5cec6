"""The SiCooperative job in pandas, as a data engineer would write it: read the four CSV
tables, merge, write the flat CSV, group by associado and month, write the aggregates.

    /usr/bin/python3 pandas_job.py SOURCE_DIR OUTPUT_DIR
"""
import sys

import pandas as pd


def main(source, out):
    associado = pd.read_csv(f"{source}/associado.csv")
    conta = pd.read_csv(f"{source}/conta.csv")
    cartao = pd.read_csv(f"{source}/cartao.csv")
    movimento = pd.read_csv(f"{source}/movimento.csv")

    associado = associado.rename(columns={
        "id": "a_id", "nome": "nome_associado", "sobrenome": "sobrenome_associado",
        "idade": "idade_associado"})
    conta = conta.rename(columns={"id": "co_id", "tipo": "tipo_conta",
                                  "data_criacao": "data_criacao_conta",
                                  "id_associado": "co_id_associado"})
    cartao = cartao.rename(columns={"id": "c_id", "num_cartao": "numero_cartao",
                                    "nom_impresso": "nome_impresso_cartao",
                                    "data_criacao": "data_criacao_cartao",
                                    "id_associado": "c_id_associado"})
    movimento = movimento.rename(columns={"vlr_transacao": "vlr_transacao_movimento",
                                          "des_transacao": "des_transacao_movimento"})
    flat = (movimento
            .merge(cartao, left_on="id_cartao", right_on="c_id")
            .merge(conta, left_on="id_conta", right_on="co_id")
            .merge(associado, left_on="co_id_associado", right_on="a_id"))
    flat = flat[flat["c_id_associado"] == flat["a_id"]]
    columns = ["nome_associado", "sobrenome_associado", "idade_associado",
               "vlr_transacao_movimento", "des_transacao_movimento", "data_movimento",
               "numero_cartao", "nome_impresso_cartao", "data_criacao_cartao", "tipo_conta",
               "data_criacao_conta"]
    flat[columns].to_csv(f"{out}/movimento_flat.csv", index=False, float_format="%.2f")

    flat = flat.assign(mes=flat["data_movimento"].str.slice(0, 7))
    mensal = (flat.groupby(["a_id", "mes"])["vlr_transacao_movimento"]
              .agg(qtd_transacoes="count", vlr_total="sum", vlr_medio="mean", vlr_min="min",
                   vlr_max="max")
              .reset_index()
              .rename(columns={"a_id": "id_associado"}))
    mensal.to_csv(f"{out}/movimento_mensal.csv", index=False, float_format="%.4f")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
