/**
 * The fund-flow diagram: an Apache ECharts Sankey chart drawn as SVG. Loaded on its own (the
 * portal imports it lazily), with only the Sankey chart, the tooltip and the SVG renderer, so the
 * first page stays light. To assistive technology it is one image with a label; the table beside
 * it carries the same figures as text.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core';
import { SankeyChart, type SankeySeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { FlowEnd, FundFlow } from '@sdk';
import { useFormats } from '../lib/locale-context';
import { flowKey, flowNodes, type FlowNode } from './flow-model';

use([SankeyChart, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<SankeySeriesOption | TooltipComponentOption>;

/** Colours with at least 3:1 against white, one per kind of end. */
const COLOURS: Record<FlowEnd['kind'], string> = {
  donors: '#1c6fb5',
  allocation: '#5b4bb7',
  unassigned: '#7a8590',
  program: '#0b6e4f',
  hospital: '#c2410c',
  available: '#6b7580',
  returned: '#8a6d1f',
};

const FONT =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK TC", "Noto Sans CJK SC", "Noto Sans", sans-serif';

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A narrow chart wraps its labels onto more lines: its nodes need more room between them. */
const narrow = (width: number) => width > 0 && width < 640;

/** Height enough for the busiest column. */
function heightFor(nodes: FlowNode[], width: number): number {
  const perColumn = [0, 1, 2].map((d) => nodes.filter((n) => n.depth === d).length);
  return Math.max(360, Math.max(...perColumn) * (narrow(width) ? 110 : 76) + 40);
}

export default function FlowChart(props: {
  flows: FundFlow[];
  currency: string;
  label: (e: FlowEnd) => string;
  ariaLabel: string;
}) {
  const fmt = useFormats();
  const box = useRef<HTMLDivElement>(null);
  const nodes = useMemo(() => flowNodes(props.flows), [props.flows]);
  const [width, setWidth] = useState(0);
  const height = heightFor(nodes, width);

  const option = useMemo(() => {
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    const money = (v: bigint | string) => escapeHtml(fmt.money(v, props.currency));
    return (width: number): Option => {
      // Labels stand right of their node; the last column's need room at the right edge.
      const labelWidth = Math.round(Math.min(180, Math.max(72, width * 0.22)));
      return {
        animation: false,
        tooltip: {
          trigger: 'item',
          confine: true,
          formatter: (p) => {
            const params = Array.isArray(p) ? p[0] : p;
            const d = params?.data as {
              name?: string;
              source?: string;
              target?: string;
              amount?: string;
            };
            if (params?.dataType === 'edge' && d.source && d.target) {
              const from = byKey.get(d.source);
              const to = byKey.get(d.target);
              return `${escapeHtml(from ? props.label(from.end) : '')} → ${escapeHtml(
                to ? props.label(to.end) : '',
              )}<br><b>${money(d.amount ?? '0')}</b>`;
            }
            const n = d.name === undefined ? undefined : byKey.get(d.name);
            return n ? `${escapeHtml(props.label(n.end))}<br><b>${money(n.total)}</b>` : '';
          },
        },
        series: [
          {
            type: 'sankey',
            left: 8,
            top: 12,
            bottom: 12,
            right: labelWidth + 8,
            nodeWidth: 14,
            nodeGap: narrow(width) ? 40 : 26,
            nodeAlign: 'left',
            draggable: false,
            emphasis: { focus: 'adjacency' },
            label: {
              color: '#212529',
              fontFamily: FONT,
              fontSize: 12,
              lineHeight: 16,
              width: labelWidth,
              overflow: 'break',
              formatter: (p) => {
                const n = byKey.get(String(p.name));
                return n ? props.label(n.end) : '';
              },
            },
            lineStyle: { color: 'gradient', opacity: 0.3, curveness: 0.5 },
            data: nodes.map((n) => ({
              name: n.key,
              depth: n.depth,
              itemStyle: { color: COLOURS[n.end.kind], borderWidth: 0 },
            })),
            links: props.flows.map((f) => ({
              source: flowKey(f.from),
              target: flowKey(f.to),
              // Widths only: the exact amount travels beside it for the tooltip.
              value: Number(f.amount),
              amount: f.amount,
            })),
          },
        ],
      };
    };
  }, [nodes, props.flows, props.currency, props.label, fmt]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c: EChartsType = init(el, null, { renderer: 'svg' });
    const observer = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      c.setOption(option(el.clientWidth), { replaceMerge: ['series'] });
      c.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
    };
  }, [option]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={props.ariaLabel}
      className="flow-chart"
      style={{ height }}
      data-testid="flow-chart"
    />
  );
}
