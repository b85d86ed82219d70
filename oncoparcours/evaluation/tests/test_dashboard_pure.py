"""The dashboard's pure helpers: choropleth classes and bar geometry, computed by hand."""

from decimal import Decimal as D

from oncoparcours.evaluation.dashboard import (
    BAR_GAP,
    BAR_HEIGHT,
    bar_chart,
    choropleth,
    class_breaks,
    classify,
)


def test_breaks_are_equal_intervals_between_the_rounded_extremes():
    # 0.0 … 2.0 in four steps of 0.5.
    assert class_breaks([D("0.04"), D("1.2"), D("1.96")]) == [
        D("0.0"),
        D("0.5"),
        D("1.0"),
        D("1.5"),
        D("2.0"),
    ]


def test_equal_values_give_one_class_and_no_values_none():
    assert class_breaks([D("0.4"), D("0.4")]) == [D("0.4"), D("0.4")]
    assert class_breaks([]) == []


def test_intervals_are_closed_on_the_right():
    breaks = [D("0.0"), D("0.5"), D("1.0"), D("1.5"), D("2.0")]
    assert classify(D("0.0"), breaks) == 1
    assert classify(D("0.5"), breaks) == 1
    assert classify(D("0.51"), breaks) == 2
    assert classify(D("2.0"), breaks) == 4


def test_choropleth_assigns_classes_and_leaves_non_computable_aside():
    # Rhône 0.4, Puy-de-Dôme 0.7, Cantal 0.0: steps of 0.175, inner breaks rounded half-even
    # to 0.18, 0.35, 0.52.
    result = choropleth({"69": D("0.4"), "63": D("0.7"), "15": D("0.0"), "74": None})
    assert [(c.index, c.low, c.high) for c in result.classes] == [
        (1, D("0.0"), D("0.18")),
        (2, D("0.18"), D("0.35")),
        (3, D("0.35"), D("0.52")),
        (4, D("0.52"), D("0.7")),
    ]
    assert result.assignment == {"69": 3, "63": 4, "15": 1, "74": None}


def test_bars_are_proportional_to_the_largest_value():
    # Width 480: plot from 200 to 480 - 72 - 12 = 396, i.e. 196 px for the largest value.
    chart = bar_chart([("A", D(10), "10"), ("B", D(5), "5"), ("C", None, "non calculable")])
    a, b, c = chart.bars
    assert (chart.plot_left, chart.plot_right) == (200, 396)
    assert (a.x, a.width, a.y) == (200, 196.0, 12)
    assert (b.width, b.y) == (98.0, 12 + BAR_HEIGHT + BAR_GAP)
    assert c.width == 0.0
    assert c.text == "non calculable"
    # The value is printed 6 px after the bar; text baseline at 70 % of the bar height.
    assert (b.text_x, b.text_y) == (304.0, round(42 + 22 * 0.7, 1))
    assert chart.height == 12 + 3 * 30 + 12


def test_shares_are_drawn_against_one_hundred():
    chart = bar_chart([("A", D(50), "50 %"), ("B", D(0), "0 %")], maximum=D(100))
    assert [bar.width for bar in chart.bars] == [98.0, 0.0]


def test_an_empty_chart_has_no_bar():
    chart = bar_chart([])
    assert chart.bars == ()
    assert chart.height == 24


def test_the_xlsx_writer_keeps_numbers_and_never_writes_formulas():
    import io

    from openpyxl import load_workbook

    from oncoparcours.evaluation.xlsx import Sheet, sheet_title, workbook_bytes

    content = workbook_bytes(
        [
            Sheet("Taux / département [T1]", [["Libellé", "Valeur"], ["=1+1", D("0.4")]]),
            Sheet("Taux / département [T1]", [["Autre"]]),
        ]
    )
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Taux   département  T1", "Taux   département  T1 (2)"]
    sheet = workbook.worksheets[0]
    assert sheet["A1"].font.bold
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (0.4, "n")
    assert sheet_title("x" * 40) == "x" * 31
