import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n.js';
import { Field } from './ui.js';

const CODE = /^[A-HJKMNP-Z2-9]{6}$/;

export function normaliseCode(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The join-code field used on the start page and the join page. */
export function CodeForm({
  onCode,
  initial = '',
}: {
  onCode: (code: string) => void;
  initial?: string;
}) {
  const [code, setCode] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      class="code-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const value = normaliseCode(code);
        if (!CODE.test(value)) return setInvalid(true);
        setInvalid(false);
        onCode(value);
      }}
    >
      <Field
        label={t('start.codeLabel')}
        help={t('start.joinHelp')}
        error={invalid ? t('join.codeInvalid') : null}
      >
        {(props) => (
          <input
            {...props}
            class="code-input"
            name="code"
            value={code}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            maxLength={8}
            onInput={(e) => setCode((e.target as HTMLInputElement).value.toUpperCase())}
          />
        )}
      </Field>
      <button type="submit" class="primary">
        {t('start.joinButton')}
      </button>
    </form>
  );
}
