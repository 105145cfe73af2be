// A grade 11 reading task (the timing fixture) for the dev preview.
import type { DemoTask } from "./demoContent";

export const en11Reading: DemoTask = {
  "number": 2,
  "title": "Задание 2. Чтение",
  "instruction": "Read the text and answer questions 2.1–2.5. Choose the correct answer A, B or C.",
  "max_score": 5,
  "content": {
    "kind": "reading",
    "format": "multiple_choice",
    "texts": [
      {
        "label": "1",
        "title": "The Night Train Returns",
        "body": "For decades, night trains were disappearing from Europe. Cheap flights were faster, and railway companies said sleeper carriages cost too much to run. In the last few years, however, the night train has made a surprising comeback. New routes now connect cities such as Vienna, Amsterdam and Paris, and many of them are fully booked in summer.\n\nPart of the reason is climate. A journey by train produces far less carbon dioxide than the same journey by plane, and many young travellers take this seriously. But comfort matters too. Passengers board in the evening in the city centre, sleep in a bed and arrive rested the next morning, without long queues at airport security.\n\nThe new trains are not perfect. Tickets for a private compartment can cost more than a flight, and delays are common because night trains share the tracks with freight trains. Still, railway companies are ordering new carriages, and several governments have promised money to support the routes. For travellers who see the journey as part of the holiday, the night train is once again a dream rather than a memory."
      }
    ],
    "items": [
      {
        "id": "2.1",
        "prompt": "Why did night trains disappear?",
        "options": [
          {
            "label": "A",
            "text": "Passengers disliked sleeping on trains."
          },
          {
            "label": "B",
            "text": "They were expensive to run, and flights were faster."
          },
          {
            "label": "C",
            "text": "Governments closed the routes."
          }
        ]
      },
      {
        "id": "2.2",
        "prompt": "Which cities do the new routes connect, according to the text?",
        "options": [
          {
            "label": "A",
            "text": "Vienna, Amsterdam and Paris"
          },
          {
            "label": "B",
            "text": "Berlin, Rome and Madrid"
          },
          {
            "label": "C",
            "text": "London, Oslo and Prague"
          }
        ]
      },
      {
        "id": "2.3",
        "prompt": "Many young travellers choose night trains partly because …",
        "options": [
          {
            "label": "A",
            "text": "tickets are always cheaper than flights."
          },
          {
            "label": "B",
            "text": "trains are faster than planes."
          },
          {
            "label": "C",
            "text": "they care about the climate."
          }
        ]
      },
      {
        "id": "2.4",
        "prompt": "What is one problem with the new night trains?",
        "options": [
          {
            "label": "A",
            "text": "They often run late."
          },
          {
            "label": "B",
            "text": "They have no beds."
          },
          {
            "label": "C",
            "text": "They leave from the airport."
          }
        ]
      },
      {
        "id": "2.5",
        "prompt": "What does the last sentence suggest?",
        "options": [
          {
            "label": "A",
            "text": "Night trains will soon disappear again."
          },
          {
            "label": "B",
            "text": "Holidays by train are too expensive."
          },
          {
            "label": "C",
            "text": "Some travellers enjoy the journey itself."
          }
        ]
      }
    ],
    "options": []
  }
};
