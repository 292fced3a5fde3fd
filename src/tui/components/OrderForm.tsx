import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { FormFooter } from './FormFooter.js';
import { visibleFields, type FormField, type OrderFormState } from '../state/order-form.js';

const LABELS: Record<FormField, string> = {
  symbol: 'Symbol',
  quantity: 'Quantity',
  type: 'Type',
  product: 'Product',
  price: 'Price ₹',
  trigger: 'Trigger ₹',
};

function valueOf(f: FormField, s: OrderFormState): string {
  switch (f) {
    case 'type':
      return `‹ ${s.orderType} ›`;
    case 'product':
      return `‹ ${s.product} ›`;
    default:
      return s[f];
  }
}

const isText = (f: FormField): boolean => f === 'symbol' || f === 'quantity' || f === 'price' || f === 'trigger';

/** A focused text field: inverse while selected (typing replaces it), else the text and a block cursor. */
function TextValue({ value, selected, muted }: { value: string; selected: boolean; muted: string | undefined }): React.ReactElement {
  if (selected && value) {
    return (
      <>
        <Text inverse>{value}</Text>
        <Text color={muted}> typing replaces</Text>
      </>
    );
  }
  return (
    <>
      <Text>{value}</Text>
      <Text inverse> </Text>
    </>
  );
}

/**
 * The paper buy/sell (or modify) form: one field focused, errors and rejections shown in place.
 * A field is selected when it gets focus (shown inverse): the first key typed replaces it.
 */
export function OrderForm({ form, width }: { form: OrderFormState; width: number }): React.ReactElement {
  const theme = useTheme();
  const buy = form.side === 'BUY';
  const title = form.mode === 'modify' ? `Modify paper order ${form.orderId} (${form.symbol})` : `Paper ${buy ? 'BUY' : 'SELL'}`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={buy ? theme.profit : theme.loss} paddingX={1} width={Math.min(width, 64)}>
      <Text bold color={buy ? theme.profit : theme.loss}>
        {title}
      </Text>
      {visibleFields(form).map((f) => {
        const focused = form.focus === f;
        return (
          <Text key={f} wrap="truncate">
            <Text color={focused ? theme.accent : theme.muted}>{`${focused ? '›' : ' '} ${LABELS[f].padEnd(10)}`}</Text>
            {focused && isText(f) ? (
              <TextValue value={valueOf(f, form)} selected={form.selected} muted={theme.muted} />
            ) : (
              <Text inverse={focused}>{valueOf(f, form) || ' '}</Text>
            )}
            {focused && !isText(f) ? <Text color={theme.muted}> ←/→ to change</Text> : null}
          </Text>
        );
      })}
      <FormFooter error={form.error} busy={form.busy ? 'sending…' : null} keys={`Tab next field · Ctrl-U clear · Enter ${form.mode === 'modify' ? 'modify' : 'place'} · Esc cancel`} />
    </Box>
  );
}
