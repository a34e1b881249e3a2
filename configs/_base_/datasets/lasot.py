# dataset settings: LaSOT test set as MMTracking 0.14 lists it (tools/convert_datasets/lasot/gen_lasot_infos.py
# writes lasot_test_infos.txt: video_path,ann_path,start_frame_id,end_frame_id). Only test: mmtrack-web runs and
# evaluates trackers, it does not train them.
data_root = 'data/'
data = dict(
    test=dict(
        type='LaSOTDataset',
        ann_file=data_root + 'lasot/annotations/lasot_test_infos.txt',
        img_prefix=data_root + 'lasot/LaSOTBenchmark',
        split='test',
        test_mode=True,
        only_eval_visible=True))
evaluation = dict(metric=['track'], interval=1)
