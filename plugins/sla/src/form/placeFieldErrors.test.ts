import { placeFieldErrors } from './placeFieldErrors';

describe('placeFieldErrors', () => {
  it('puts errors at their inputs and keeps the others apart', () => {
    expect(
      placeFieldErrors(
        [
          { field: 'title', message: 'must not be empty' },
          { field: 'title', message: 'must be at most 200 characters' },
          { field: 'targets[0].calendar.timeZone', message: 'is required' },
        ],
        ['title', 'targets[0].name'],
      ),
    ).toEqual({
      byField: { title: 'must not be empty; must be at most 200 characters' },
      unplaced: [
        { field: 'targets[0].calendar.timeZone', message: 'is required' },
      ],
    });
  });
});
