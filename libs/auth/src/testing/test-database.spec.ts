import { Schema } from 'mongoose';
import { createTestDatabase, type TestDatabase } from './test-database';

// The properties the auth module relies on, checked on the server the global setup started.
describe('the test database server', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('harness');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('answers ping', async () => {
    await expect(db.connection.db!.admin().ping()).resolves.toMatchObject({ ok: 1 });
  });

  it('rejects a duplicate key of a unique index with code 11000', async () => {
    const Unique = db.connection.model('Unique', new Schema({ key: { type: String, unique: true } }));
    await Unique.init();
    await Unique.create({ key: 'same' });

    await expect(Unique.create({ key: 'same' })).rejects.toMatchObject({ code: 11000 });
    expect(await Unique.countDocuments({ key: 'same' })).toBe(1);
  });

  it('lets exactly one of 20 concurrent findOneAndUpdate calls match the same condition, every time', async () => {
    const Slot = db.connection.model('Slot', new Schema({ round: Number, takenBy: { type: Number, default: null } }));
    const rounds = Array.from({ length: 10 }, (_, round) => round);
    await Slot.insertMany(rounds.map((round) => ({ round })));

    for (const round of rounds) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, caller) =>
          Slot.findOneAndUpdate({ round, takenBy: null }, { $set: { takenBy: caller } }, { returnDocument: 'after' }).lean(),
        ),
      );

      const winners = results.filter((result) => result !== null);
      expect(winners).toHaveLength(1);
      expect((await Slot.findOne({ round }).lean())?.takenBy).toBe(winners[0]?.takenBy);
    }
  });

  it('gives each call a database of its own', async () => {
    const other = await createTestDatabase('harness');
    try {
      expect(other.name).not.toBe(db.name);
      expect(other.connection.db!.databaseName).toBe(other.name);
    } finally {
      await other.drop();
    }
  });
});
