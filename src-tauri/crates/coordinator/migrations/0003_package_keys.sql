-- vpr-coordinator schema 3 (model/works.rs): one criterion and one keys type in
-- the product, the exam package's (vpr-exam). Stored JSON takes their shape.

-- works.spec: criteria {id, text, max} become {id, name, max_points, description}.
UPDATE works SET spec = json_set(spec, '$.tasks', json((
    SELECT json_group_array(json(
        CASE WHEN json_array_length(t.value, '$.criteria') > 0
        THEN json_set(t.value, '$.criteria', json((
            SELECT json_group_array(json(json_object(
                'id', json_extract(c.value, '$.id'),
                'name', json_extract(c.value, '$.text'),
                'max_points', json_extract(c.value, '$.max'),
                'description', '')) ORDER BY c.key)
            FROM json_each(t.value, '$.criteria') AS c)))
        ELSE t.value END) ORDER BY t.key)
    FROM json_each(works.spec, '$.tasks') AS t)));

-- works.keys: {items, variants: {"N": {item: [accepted]}}, case_sensitive} become
-- {package_id, variants: [{number, tasks: [{number, items: [{id, accepted, points, case}]}]}]}.
-- Keys given for every variant are written out for each variant known: those
-- listed, those of the work's submissions, and variant 1. An item without a key
-- in a variant accepts nothing, as before.
UPDATE works SET keys = json_object(
    'package_id', works.package_id,
    'variants', json((
        SELECT json_group_array(json(json_object(
            'number', v.n,
            'tasks', json((
                SELECT json_group_array(json(json_object(
                    'number', json_extract(t.value, '$.number'),
                    'items', json((
                        SELECT json_group_array(json(json_object(
                            'id', json_extract(i.value, '$.id'),
                            'accepted', json(COALESCE(
                                (SELECT ki.value
                                   FROM json_each(works.keys, '$.variants') AS vv, json_each(vv.value) AS ki
                                  WHERE vv.key = CAST(v.n AS TEXT) AND ki.key = json_extract(i.value, '$.id')),
                                (SELECT gi.value FROM json_each(works.keys, '$.items') AS gi
                                  WHERE gi.key = json_extract(i.value, '$.id')),
                                '[]')),
                            'points', json_extract(i.value, '$.points'),
                            'case', CASE WHEN EXISTS (
                                    SELECT 1 FROM json_each(works.keys, '$.case_sensitive') AS cs
                                     WHERE cs.value = json_extract(i.value, '$.id'))
                                THEN 'sensitive' ELSE 'insensitive' END)) ORDER BY i.key)
                        FROM json_each(t.value, '$.items') AS i)),
                    'criteria', json('[]'))) ORDER BY t.key)
                FROM json_each(works.spec, '$.tasks') AS t
                WHERE json_array_length(t.value, '$.items') > 0)))) ORDER BY v.n)
        FROM (
            SELECT CAST(key AS INTEGER) AS n FROM json_each(works.keys, '$.variants')
            UNION
            SELECT s.variant FROM submissions AS s
             WHERE s.work_id = works.id
               AND (SELECT count(*) FROM json_each(works.keys, '$.items')) > 0
            UNION
            SELECT 1 WHERE (SELECT count(*) FROM json_each(works.keys, '$.items')) > 0
        ) AS v)))
WHERE keys IS NOT NULL;
