import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sweden's NUTS-2 programme areas and NUTS-3 counties (NUTS 2021), as reference data. */
export const SWEDISH_REGIONS: [
  code: string,
  name: string,
  kind: 'nuts2' | 'county',
  parent: string | null,
][] = [
  ['SE11', 'Stockholm', 'nuts2', null],
  ['SE12', 'Östra Mellansverige', 'nuts2', null],
  ['SE21', 'Småland med öarna', 'nuts2', null],
  ['SE22', 'Sydsverige', 'nuts2', null],
  ['SE23', 'Västsverige', 'nuts2', null],
  ['SE31', 'Norra Mellansverige', 'nuts2', null],
  ['SE32', 'Mellersta Norrland', 'nuts2', null],
  ['SE33', 'Övre Norrland', 'nuts2', null],
  ['SE110', 'Stockholms län', 'county', 'SE11'],
  ['SE121', 'Uppsala län', 'county', 'SE12'],
  ['SE122', 'Södermanlands län', 'county', 'SE12'],
  ['SE123', 'Östergötlands län', 'county', 'SE12'],
  ['SE124', 'Örebro län', 'county', 'SE12'],
  ['SE125', 'Västmanlands län', 'county', 'SE12'],
  ['SE211', 'Jönköpings län', 'county', 'SE21'],
  ['SE212', 'Kronobergs län', 'county', 'SE21'],
  ['SE213', 'Kalmar län', 'county', 'SE21'],
  ['SE214', 'Gotlands län', 'county', 'SE21'],
  ['SE221', 'Blekinge län', 'county', 'SE22'],
  ['SE224', 'Skåne län', 'county', 'SE22'],
  ['SE231', 'Hallands län', 'county', 'SE23'],
  ['SE232', 'Västra Götalands län', 'county', 'SE23'],
  ['SE311', 'Värmlands län', 'county', 'SE31'],
  ['SE312', 'Dalarnas län', 'county', 'SE31'],
  ['SE313', 'Gävleborgs län', 'county', 'SE31'],
  ['SE321', 'Västernorrlands län', 'county', 'SE32'],
  ['SE322', 'Jämtlands län', 'county', 'SE32'],
  ['SE331', 'Västerbottens län', 'county', 'SE33'],
  ['SE332', 'Norrbottens län', 'county', 'SE33'],
];

export class SwedishRegions1795763706400 implements MigrationInterface {
  name = 'SwedishRegions1795763706400';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [code, name, kind, parent] of SWEDISH_REGIONS) {
      await queryRunner.query(
        `INSERT INTO "regions" ("code", "name", "kind", "parent_code") VALUES ($1, $2, $3, $4) ON CONFLICT ("code") DO NOTHING`,
        [code, name, kind, parent],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const codes = SWEDISH_REGIONS.map(([code]) => code);
    await queryRunner.query(`DELETE FROM "regions" WHERE "code" = ANY($1) AND "kind" = 'county'`, [
      codes,
    ]);
    await queryRunner.query(`DELETE FROM "regions" WHERE "code" = ANY($1)`, [codes]);
  }
}
