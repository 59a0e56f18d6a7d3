//! Charts drawn on the server as SVG, put inline in the page (the pages' policy allows no
//! script that could draw them, and needs none): grouped horizontal bar charts and the tree of
//! a cascade. Pure functions from figures to markup; every piece of text is escaped.

use std::fmt::Write;

/// The colours of the series, in order (each with AA contrast against white).
const COLOURS: [&str; 3] = ["#0b4f8a", "#1b6e3a", "#9a4a00"];

// Drawn small (a phone's width) and scaled up on wider screens, so the text stays readable on
// both. Each group's label is written in full on its own line(s) above its bars (never cut:
// a phone cannot show a hover tooltip), wrapped at LABEL_CHARS.
const WIDTH: f64 = 400.0;
/// Room for the value printed after the longest bar.
const VALUE_WIDTH: f64 = 44.0;
/// Characters of a label on one line: 13 px system-ui averages under 7 px a character, so
/// 52 fit in the 400 units across.
const LABEL_CHARS: usize = 52;
const LABEL_LINE: f64 = 16.0;
/// The average advance of a 13 px system-ui character, for laying out the legend.
const CHAR_WIDTH: f64 = 7.5;
const BAR_HEIGHT: f64 = 15.0;
const BAR_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 10.0;
const LEGEND_HEIGHT: f64 = 24.0;

/// Text made safe for SVG (and HTML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, with "…" when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max - 1).collect();
        cut.push('…');
        cut
    }
}

/// `text` broken at spaces into lines of at most `max` characters (a longer word on its own).
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One group of bars: a label and one value per series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub label: String,
    pub values: Vec<i64>,
}

/// A grouped horizontal bar chart.
#[derive(Debug, Clone)]
pub struct BarChart<'a> {
    /// Read out by screen readers (the chart's accessible name).
    pub title: &'a str,
    /// The series' names, in the order of each category's values.
    pub series: &'a [&'a str],
    pub categories: Vec<Category>,
}

/// The length of a bar for `value` when `max` fills `room`.
fn bar_length(value: i64, max: i64, room: f64) -> f64 {
    if max <= 0 || value <= 0 {
        0.0
    } else {
        room * value as f64 / max as f64
    }
}

/// The chart as an `<svg>` element that scales to its container's width.
pub fn bar_chart(chart: &BarChart) -> String {
    let series = chart.series.len().max(1);
    let bars_height = series as f64 * (BAR_HEIGHT + BAR_GAP);
    let labels: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(&c.label, LABEL_CHARS))
        .collect();
    let height = LEGEND_HEIGHT
        + labels
            .iter()
            .map(|l| l.len() as f64 * LABEL_LINE + bars_height + GROUP_GAP)
            .sum::<f64>()
            .max(bars_height + GROUP_GAP);
    let max = chart
        .categories
        .iter()
        .flat_map(|c| c.values.iter().copied())
        .max()
        .unwrap_or(0);
    let room = WIDTH - VALUE_WIDTH;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">",
        escape(chart.title)
    );
    // The legend, each name after its swatch, spaced by the length of the names.
    let mut x = 0.0;
    for (j, name) in chart.series.iter().enumerate() {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"14\" fill=\"#1a1a1a\">{}</text>",
            COLOURS[j % COLOURS.len()],
            x + 16.0,
            escape(name)
        );
        x += 16.0 + name.chars().count() as f64 * CHAR_WIDTH + 16.0;
    }
    let mut top = LEGEND_HEIGHT;
    for (category, lines) in chart.categories.iter().zip(&labels) {
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                "<text class=\"label\" x=\"0\" y=\"{}\" fill=\"#1a1a1a\">{}</text>",
                top + k as f64 * LABEL_LINE + 12.0,
                escape(line)
            );
        }
        top += lines.len() as f64 * LABEL_LINE;
        for (j, value) in category.values.iter().enumerate() {
            let y = top + j as f64 * (BAR_HEIGHT + BAR_GAP);
            let length = bar_length(*value, max, room);
            let name = chart.series.get(j).copied().unwrap_or("");
            let _ = write!(
                svg,
                "<rect class=\"bar\" x=\"0\" y=\"{y}\" width=\"{length:.1}\" height=\"{BAR_HEIGHT}\" \
                 fill=\"{}\" data-value=\"{value}\"><title>{}: {} {value}</title></rect>\
                 <text class=\"value\" x=\"{:.1}\" y=\"{}\" fill=\"#1a1a1a\">{value}</text>",
                COLOURS[j % COLOURS.len()],
                escape(&category.label),
                escape(name),
                length + 4.0,
                y + BAR_HEIGHT - 3.0,
            );
        }
        top += bars_height + GROUP_GAP;
    }
    svg.push_str("</svg>");
    svg
}

/// A workshop in a cascade tree: a link, a heading, a few lines of figures, its children.
#[derive(Debug, Clone)]
pub struct TreeNode {
    pub href: String,
    pub heading: String,
    pub lines: Vec<String>,
    pub children: Vec<TreeNode>,
}

const NODE_WIDTH: f64 = 150.0;
const NODE_GAP: f64 = 14.0;
const LEVEL_HEIGHT: f64 = 140.0;
const LINE_HEIGHT: f64 = 15.0;

fn leaves(node: &TreeNode) -> usize {
    if node.children.is_empty() {
        1
    } else {
        node.children.iter().map(leaves).sum()
    }
}

fn depth(node: &TreeNode) -> usize {
    1 + node.children.iter().map(depth).max().unwrap_or(0)
}

/// Draws `node` with its left edge of leaves at column `first`; returns its centre.
fn draw(node: &TreeNode, first: usize, level: usize, node_height: f64, out: &mut String) -> f64 {
    let span = leaves(node);
    let column = NODE_WIDTH + NODE_GAP;
    let centre = (first as f64 + span as f64 / 2.0) * column;
    let top = level as f64 * LEVEL_HEIGHT + 4.0;
    let mut next = first;
    for child in &node.children {
        let child_centre = draw(child, next, level + 1, node_height, out);
        let _ = write!(
            out,
            "<line class=\"edge\" x1=\"{centre:.1}\" y1=\"{:.1}\" x2=\"{child_centre:.1}\" y2=\"{:.1}\" \
             stroke=\"#6b6b6b\" stroke-width=\"1.5\"/>",
            top + node_height,
            top + LEVEL_HEIGHT
        );
        next += leaves(child);
    }
    let x = centre - NODE_WIDTH / 2.0;
    let _ = write!(
        out,
        "<a href=\"{}\"><g class=\"node\"><rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{NODE_WIDTH}\" \
         height=\"{node_height}\" rx=\"6\" fill=\"#eef3f8\" stroke=\"#0b4f8a\" stroke-width=\"1.5\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"700\" fill=\"#0b4f8a\">{}</text>",
        escape(&node.href),
        x + 8.0,
        top + 18.0,
        escape(&shorten(&node.heading, 22))
    );
    for (i, line) in node.lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#1a1a1a\">{}</text>",
            x + 8.0,
            top + 18.0 + (i + 1) as f64 * LINE_HEIGHT,
            escape(&shorten(line, 24))
        );
    }
    out.push_str("</g></a>");
    centre
}

/// The tree as an `<svg>`: the root at the top, each level below its parent, lines between.
pub fn cascade_tree(root: &TreeNode, title: &str) -> String {
    let lines = max_lines(root);
    let node_height = 26.0 + lines as f64 * LINE_HEIGHT;
    let width = leaves(root) as f64 * (NODE_WIDTH + NODE_GAP);
    let height = (depth(root) - 1) as f64 * LEVEL_HEIGHT + node_height + 8.0;
    let mut body = String::new();
    draw(root, 0, 0, node_height, &mut body);
    format!(
        "<svg class=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         width=\"{width:.0}\" height=\"{height:.0}\" role=\"group\" aria-label=\"{}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"12\">{body}</svg>",
        escape(title)
    )
}

fn max_lines(node: &TreeNode) -> usize {
    node.children
        .iter()
        .map(max_lines)
        .max()
        .unwrap_or(0)
        .max(node.lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(svg: &str) -> Vec<f64> {
        svg.split("<rect class=\"bar\"")
            .skip(1)
            .map(|rest| {
                let start = rest.find("width=\"").unwrap() + 7;
                rest[start..start + rest[start..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn bars_are_proportional_to_their_values_and_the_largest_fills_the_room() {
        let svg = bar_chart(&BarChart {
            title: "Enrolled by course",
            series: &["Enrolled", "Certified"],
            categories: vec![
                Category {
                    label: "CSSD".into(),
                    values: vec![40, 10],
                },
                Category {
                    label: "CC".into(),
                    values: vec![20, 0],
                },
            ],
        });
        let w = widths(&svg);
        assert_eq!(w.len(), 4);
        let room = WIDTH - VALUE_WIDTH;
        assert!((w[0] - room).abs() < 0.1, "{w:?}");
        assert!((w[1] - room / 4.0).abs() < 0.1, "{w:?}");
        assert!((w[2] - room / 2.0).abs() < 0.1, "{w:?}");
        assert_eq!(w[3], 0.0);
        assert!(svg.contains("data-value=\"40\"") && svg.contains(">20</text>"));
        assert!(svg.contains("aria-label=\"Enrolled by course\""));
    }

    #[test]
    fn an_empty_chart_draws_no_bars_and_divides_by_nothing() {
        let svg = bar_chart(&BarChart {
            title: "Nothing",
            series: &["Enrolled"],
            categories: vec![Category {
                label: "none".into(),
                values: vec![0],
            }],
        });
        assert_eq!(widths(&svg), [0.0]);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn labels_are_escaped_and_long_ones_wrapped_whole_never_cut() {
        let label = "<script>alert(1)</script> & \"Chitungwiza\" Municipality of the long name";
        let svg = bar_chart(&BarChart {
            title: "a < b",
            series: &["O'Brien & co"],
            categories: vec![Category {
                label: label.into(),
                values: vec![3],
            }],
        });
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(
            svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Chitungwiza&quot;")
        );
        assert!(svg.contains("aria-label=\"a &lt; b\""));
        assert!(svg.contains("O&#39;Brien &amp; co"));
        assert!(!svg.contains('…'));
        assert!(
            svg.contains(">Municipality of the long name</text>"),
            "{svg}"
        );
    }

    #[test]
    fn the_legend_leaves_room_for_each_name() {
        let svg = bar_chart(&BarChart {
            title: "t",
            series: &["Workshops", "Certified"],
            categories: vec![],
        });
        let second = svg.split("<rect x=\"").nth(2).unwrap();
        let x: f64 = second[..second.find('"').unwrap()].parse().unwrap();
        assert!(x >= 16.0 + 9.0 * CHAR_WIDTH, "{svg}");
    }

    #[test]
    fn a_tree_draws_every_node_and_one_line_per_parent_child_pair() {
        let leaf = |n: &str| TreeNode {
            href: format!("/admin/workshops/{n}"),
            heading: n.into(),
            lines: vec!["Enrolled 10".into()],
            children: vec![],
        };
        let root = TreeNode {
            href: "/admin/workshops/1".into(),
            heading: "ToT <1>".into(),
            lines: vec!["Enrolled 12".into(), "Certified 11".into()],
            children: vec![
                TreeNode {
                    children: vec![leaf("3"), leaf("4")],
                    ..leaf("2")
                },
                leaf("5"),
            ],
        };
        let svg = cascade_tree(&root, "Cascade");
        assert_eq!(svg.matches("<g class=\"node\"").count(), 5);
        assert_eq!(svg.matches("<line class=\"edge\"").count(), 4);
        assert!(svg.contains("ToT &lt;1&gt;") && svg.contains("Certified 11"));
        // Three leaves side by side.
        assert!(svg.contains(&format!("width=\"{:.0}\"", 3.0 * (NODE_WIDTH + NODE_GAP))));
        // The root sits over the middle of its leaves.
        assert!(svg.contains(&format!(
            "x=\"{:.1}\" y=\"4.0\"",
            1.5 * (NODE_WIDTH + NODE_GAP) - NODE_WIDTH / 2.0
        )));
    }
}
